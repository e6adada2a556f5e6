import { z } from 'zod';
import { parseDuration } from '@herald/contracts';

/** Reusable field types for environment schemas. Each schema is a plain z.object keyed by variable name. */
export const envDuration = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((text, ctx) => {
      try {
        return parseDuration(text);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    });

export const envInt = (fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

export const envBool = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'expected true or false' })
    .default(fallback ? 'true' : 'false')
    .transform((value) => value === 'true' || value === '1' || value === 'yes');

export const envList = (fallback: readonly string[]) =>
  z
    .string()
    .default(fallback.join(','))
    .transform((text) =>
      text
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean),
    );

export const envPort = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);
