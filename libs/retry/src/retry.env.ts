import { z } from 'zod';
import { parseDuration } from '@herald/contracts';

const durationList = (fallback: string, what: string) =>
  z
    .string()
    .default(fallback)
    .transform((text, ctx) => {
      const labels = text
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean);
      if (labels.length === 0) {
        ctx.addIssue({ code: 'custom', message: `list at least one ${what}, e.g. ${fallback}` });
        return z.NEVER;
      }
      try {
        const delays = labels.map(parseDuration);
        if (delays.some((ms) => ms <= 0)) throw new Error('delays must be positive');
        return delays;
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    });

/** Retry settings shared by the dispatcher (which plans retries) and the API (which validates schedules). */
export const retryEnv = z
  .object({
    /** Delays of the retries after the immediate first attempt. */
    HERALD_RETRY_SCHEDULE: durationList('5s,5m,30m,2h,5h,10h,10h', 'retry delay'),
    /** Delays that have a `herald.retry.<delay>` topic. */
    HERALD_RETRY_TIERS: durationList('5s,1m,5m,30m,2h,5h,10h,24h', 'retry tier delay').transform((delays) =>
      [...new Set(delays)].sort((a, b) => a - b),
    ),
  })
  .superRefine((env, ctx) => {
    const missing = env.HERALD_RETRY_SCHEDULE.filter((delay) => !env.HERALD_RETRY_TIERS.includes(delay));
    if (missing.length > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['HERALD_RETRY_SCHEDULE'],
        message: `every delay needs a tier in HERALD_RETRY_TIERS; missing ${missing.map((ms) => `${ms}ms`).join(', ')}`,
      });
    }
  });

export type RetryEnv = z.infer<typeof retryEnv>;
