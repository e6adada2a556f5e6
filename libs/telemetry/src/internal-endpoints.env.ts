import { z } from 'zod';
import { envPort } from '@herald/config';

/**
 * Where /metrics, /docs (with /docs-json) and readiness details are served. Defaults: with
 * HERALD_INTERNAL_PORT set, only there; without it, behind the admin token in production and open
 * in development. Anonymous callers never see readiness error messages.
 */
export const internalEndpointsEnv = z
  .object({
    HERALD_MODE: z.enum(['production', 'development']).default('production'),
    HERALD_HTTP_PORT: envPort(3000),
    /** A second port serving only /metrics, /docs, /docs-json and /health (with details). */
    HERALD_INTERNAL_PORT: z.coerce.number().int().min(1).max(65535).optional(),
    /** What the public port does with /metrics and /docs: open, admin-token (401 without it) or off (404). */
    HERALD_INTERNAL_ACCESS: z.enum(['open', 'admin-token', 'off']).optional(),
    /** Read here only to guard the internal endpoints; the API requires it anyway. */
    HERALD_ADMIN_TOKEN: z.string().min(16, 'use at least 16 characters').optional(),
  })
  .refine((env) => env.HERALD_INTERNAL_PORT !== env.HERALD_HTTP_PORT, {
    message: 'must differ from HERALD_HTTP_PORT',
    path: ['HERALD_INTERNAL_PORT'],
  })
  .refine((env) => publicAccessOf(env) !== 'admin-token' || env.HERALD_ADMIN_TOKEN !== undefined, {
    message:
      '/metrics and /docs need the admin token on the public port (the production default); set it, ' +
      'or HERALD_INTERNAL_PORT to serve them on a separate port, or HERALD_INTERNAL_ACCESS=open',
    path: ['HERALD_ADMIN_TOKEN'],
  });

export type InternalEndpointsEnv = z.infer<typeof internalEndpointsEnv>;
export type PublicAccess = 'open' | 'admin-token' | 'off';

/** HERALD_INTERNAL_ACCESS, or its default for the port and mode. */
export function publicAccessOf(env: {
  HERALD_MODE: 'production' | 'development';
  HERALD_INTERNAL_PORT?: number;
  HERALD_INTERNAL_ACCESS?: PublicAccess;
}): PublicAccess {
  if (env.HERALD_INTERNAL_ACCESS) return env.HERALD_INTERNAL_ACCESS;
  if (env.HERALD_INTERNAL_PORT !== undefined) return 'off';
  return env.HERALD_MODE === 'production' ? 'admin-token' : 'open';
}
