import { z } from 'zod';
import { envPort } from '@herald/config';

/** Settings every service reads. */
export const serviceEnv = z.object({
  HERALD_HTTP_PORT: envPort(3000),
  HERALD_HTTP_HOST: z.string().default('0.0.0.0'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** development allows plain HTTP and loopback receivers; production never does. */
  HERALD_MODE: z.enum(['production', 'development']).default('production'),
});

export type ServiceEnv = z.infer<typeof serviceEnv>;
