import { z } from 'zod';
import { envDuration } from '@herald/config';

/** Consumer-group settings of every consumer that does not set its own (router and scheduler do). */
export const consumerSessionEnv = z.object({
  /** A member silent this long is dropped from its group; brokers accept 6s to 30m by default. */
  KAFKA_SESSION_TIMEOUT: envDuration('30s').refine(
    (ms) => ms >= 6_000 && ms <= 1_800_000,
    'must be between 6s and 30m',
  ),
});
