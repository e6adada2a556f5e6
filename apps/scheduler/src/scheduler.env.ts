import { z } from 'zod';
import { envDuration, envInt } from '@herald/config';
import { formatDuration, parseDuration } from '@herald/contracts';

/** The tier delays that have a topic; the same list the dispatcher and create-topics read. */
const tierList = z
  .string()
  .default('5s,1m,5m,30m,2h,5h,10h,24h')
  .transform((text, ctx) => {
    const labels = text
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean);
    if (labels.length === 0) {
      ctx.addIssue({ code: 'custom', message: 'list at least one retry tier delay, e.g. 5s,1m,5m' });
      return z.NEVER;
    }
    try {
      const delays = labels.map(parseDuration);
      if (delays.some((ms) => ms <= 0)) throw new Error('tier delays must be positive');
      return [...new Set(delays)].sort((a, b) => a - b);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
      return z.NEVER;
    }
  });

export const schedulerEnv = z.object({
  HERALD_RETRY_TIERS: tierList,
  /** Partitions handled at once across all tier topics. */
  HERALD_SCHEDULER_CONCURRENCY: envInt(8, 1, 256),
  /**
   * How many bytes of one partition a fetch reads ahead. Jitter lets a later record fall due before
   * the head; only records inside this window can overtake a waiting head.
   */
  HERALD_SCHEDULER_LOOKAHEAD_BYTES: envInt(4 * 1_048_576, 65_536, 64 * 1_048_576),
  /**
   * Shortest pause of a partition whose head is not due. Records appended while it is paused may fall
   * due before the head (jitter, Retry-After), so the partition is looked at again after this or the
   * tier's own rescan time (see RetryTiers), whichever is longer.
   */
  HERALD_SCHEDULER_RESCAN_INTERVAL: envDuration('1s'),
  /** A record due within this margin is forwarded now rather than pausing for a few milliseconds. */
  HERALD_SCHEDULER_EARLY_MARGIN: envDuration('5ms'),
  /** Wait before retrying a forward that Kafka refused. */
  HERALD_SCHEDULER_FORWARD_RETRY_DELAY: envDuration('1s'),
  /**
   * How soon the group notices a crashed scheduler and hands its partitions to another (or to the
   * restarted) instance; that time adds to the lateness of records due meanwhile. Handlers return in
   * milliseconds, so a short timeout is safe.
   */
  HERALD_SCHEDULER_SESSION_TIMEOUT: envDuration('10s'),
  /** How often tier lag (records not yet committed) is measured for metrics; 0 turns it off. */
  HERALD_SCHEDULER_LAG_INTERVAL: envDuration('15s'),
});

export type SchedulerEnv = z.infer<typeof schedulerEnv>;
export const SCHEDULER_ENV = Symbol('SCHEDULER_ENV');

export function tierLabel(delayMs: number): string {
  return formatDuration(delayMs);
}
