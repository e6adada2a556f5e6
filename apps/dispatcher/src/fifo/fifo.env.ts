import { z } from 'zod';
import { envDuration } from '@herald/config';

/** Settings of strict per-endpoint order (endpoints with `fifo: true`). */
export const fifoEnv = z.object({
  /**
   * How long a FIFO delivery may wait in memory behind its endpoint's attempt in flight before it is
   * parked on a retry tier. Longer saves tier round trips while a backlog drains one at a time.
   */
  HERALD_FIFO_WAIT: envDuration('10s'),
  /**
   * A parked or retrying delivery overdue by this much is presumed lost (its record will not come
   * back, e.g. its tier was removed) and no longer holds its endpoint. Keep it well above scheduler
   * outages you expect to ride out: a delivery presumed lost that does come back is sent out of order.
   */
  HERALD_FIFO_LOST_AFTER: envDuration('1h').refine((ms) => ms > 0, 'must be positive'),
});

export type FifoEnv = z.infer<typeof fifoEnv>;
