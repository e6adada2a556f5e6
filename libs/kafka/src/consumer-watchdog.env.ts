import { z } from 'zod';
import { envInt } from '@herald/config';

/** How quickly a consumer that stopped fetching some partitions is restarted. */
export const consumerWatchdogEnv = z.object({
  KAFKA_STALL_CHECK_INTERVAL_MS: envInt(5_000, 500, 600_000),
  /** A partition with unread records and no progress for this long counts as stalled. */
  KAFKA_STALL_TIMEOUT_MS: envInt(20_000, 1_000, 3_600_000),
});
