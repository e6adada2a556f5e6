import { z } from 'zod';
import { envDuration, envInt } from '@herald/config';

export const DEFAULT_MAX_ROWS_PER_WRITE = 5_000;

export const projectorEnv = z.object({
  /** The live projector's consumer group; a rebuild always uses a fresh one. */
  HERALD_PROJECTOR_GROUP: z.string().min(1).default('herald-projector'),
  /**
   * Partitions' batches handled at once. Their writes are merged into one statement per table group
   * (WriteCoalescer), so this is how many batches one statement can take, not parallel statements.
   */
  HERALD_PROJECTOR_CONCURRENCY: envInt(16, 1, 64),
  /**
   * Most rows one statement writes when batches of several partitions are merged into it; a single
   * batch larger than this still goes whole.
   */
  HERALD_PROJECTOR_MAX_ROWS_PER_WRITE: envInt(DEFAULT_MAX_ROWS_PER_WRITE, 1, 100_000),
  /**
   * Projections may trail by a fraction of a second, so the projector waits for fuller fetches than
   * the hot path: fewer, larger transactions.
   */
  HERALD_PROJECTOR_FETCH_MIN_BYTES: envInt(262_144, 1, 52_428_800),
  /**
   * `projector`: the projector maintains the delivery log's partitions (at start and every
   * HERALD_RETENTION_INTERVAL). `external`: it does not; run `herald maintain-log` on a schedule instead.
   */
  HERALD_LOG_MAINTENANCE: z.enum(['projector', 'external']).default('projector'),
  HERALD_PROJECTOR_FETCH_MAX_WAIT: envDuration('250ms').refine(
    (ms) => ms >= 1 && ms <= 10_000,
    'must be between 1ms and 10s',
  ),
});

export type ProjectorEnv = z.infer<typeof projectorEnv>;
export const PROJECTOR_GROUP = Symbol('PROJECTOR_GROUP');
export const PROJECTOR_ENV = Symbol('PROJECTOR_ENV');

/** The delivery log's retention (HERALD_RETENTION_*), validated at start-up. */
export const PROJECTOR_RETENTION = Symbol('PROJECTOR_RETENTION');

/** How the projector merges batches into writes (ProjectRecordsUseCase). */
export interface ProjectorWriteLimits {
  maxRowsPerWrite: number;
}
export const PROJECTOR_WRITE_LIMITS = Symbol('PROJECTOR_WRITE_LIMITS');
