import { z } from 'zod';
import { envDuration, envInt } from '@herald/config';

/** Background jobs' settings (backfill, recover, purge). */
export const jobsEnv = z.object({
  /** The longest a backfill or recover job runs; a request may ask for less, never more. */
  HERALD_JOB_TIME_LIMIT: envDuration('15m').refine(
    (ms) => ms >= 1_000 && ms <= 86_400_000,
    'must be between 1s and 24h',
  ),
  /** Backfill, recover and purge jobs one workspace may run at once; one more answers 429 JOB_LIMIT_REACHED. */
  HERALD_WORKSPACE_MAX_ACTIVE_JOBS: envInt(2, 1, 100),
  /** Deliveries a purge job erases per transaction; small keeps row locks short for the projector. */
  HERALD_PURGE_BATCH_SIZE: envInt(1000, 1, 10_000),
});

export type JobsEnv = z.infer<typeof jobsEnv>;
export const JOBS_ENV = Symbol('JOBS_ENV');
