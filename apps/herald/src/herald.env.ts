import { z } from 'zod';
import { envBool } from '@herald/config';
import { SERVICE_NAMES, type ServiceName } from '@herald/runtime';

export const heraldEnv = z.object({
  /** Which services this all-in-one process runs. */
  HERALD_SERVICES: z
    .string()
    .default(SERVICE_NAMES.join(','))
    .transform((text, ctx) => {
      const names = text
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      const unknown = names.filter((name) => !SERVICE_NAMES.includes(name as ServiceName));
      if (unknown.length > 0) {
        ctx.addIssue({
          code: 'custom',
          message: `unknown service ${unknown.join(', ')}; known: ${SERVICE_NAMES.join(', ')}`,
        });
        return z.NEVER;
      }
      return names as ServiceName[];
    }),
  /** Apply pending migrations before the API or projector starts (Helm runs them in a hook Job instead). */
  HERALD_MIGRATE_ON_START: envBool(true),
});
