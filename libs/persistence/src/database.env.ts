import { z } from 'zod';
import { envBool, envInt } from '@herald/config';

/** Postgres connection for the services that read or write projections (api, projector). */
export const databaseEnv = z.object({
  DATABASE_URL: z
    .string({ message: 'set it to a postgres:// connection URL' })
    .min(1, 'set it to a postgres:// connection URL')
    .refine((text) => /^postgres(ql)?:\/\//.test(text), 'expected a postgres:// URL'),
  DATABASE_SSL: envBool(false),
  DATABASE_POOL_SIZE: envInt(10, 1, 200),
  DATABASE_STATEMENT_TIMEOUT_MS: envInt(30_000, 100, 600_000),
});

export type DatabaseEnv = z.infer<typeof databaseEnv>;
