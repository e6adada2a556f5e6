import { z } from 'zod';
import { envBool, envDuration, envInt } from '@herald/config';
import type { FetchGathering } from './fetch-gathering.policy';
import { DEFAULT_PRODUCE_TIMEOUT_MS } from './herald-producer';

/** Connection settings every Kafka-using service reads. */
export const kafkaEnv = z.object({
  KAFKA_BROKERS: z
    .string({ message: 'set it to a comma-separated list of host:port' })
    .min(1, 'set it to a comma-separated list of host:port')
    .transform((text) =>
      text
        .split(',')
        .map((b) => b.trim())
        .filter(Boolean),
    ),
  KAFKA_CLIENT_ID: z.string().default('herald'),
  KAFKA_SSL: envBool(false),
  KAFKA_SSL_CA_PATH: z.string().optional(),
  KAFKA_SASL_MECHANISM: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']).optional(),
  KAFKA_SASL_USERNAME: z.string().optional(),
  KAFKA_SASL_PASSWORD: z.string().optional(),
  KAFKA_CONNECTION_TIMEOUT_MS: envInt(3000, 100, 60000),
  KAFKA_REQUEST_TIMEOUT_MS: envInt(30000, 1000, 300000),
  /**
   * How long a produce keeps retrying before it fails and its input is read again. Keep it below the
   * consumer watchdog's commit stall (KAFKA_STALL_TIMEOUT_MS times its factor).
   */
  KAFKA_PRODUCE_TIMEOUT: envDuration(`${DEFAULT_PRODUCE_TIMEOUT_MS}ms`).refine(
    (ms) => ms >= 1_000 && ms <= 600_000,
    'must be between 1s and 10m',
  ),
  /** How often consumers commit finished offsets (0: after every batch); a crash re-reads at most this much. */
  KAFKA_COMMIT_INTERVAL: envDuration('1s').refine(
    (ms) => ms >= 0 && ms <= 60_000,
    'must be between 0 and 60s',
  ),
  /**
   * A fetch returns once this many bytes are there, or after KAFKA_FETCH_MAX_WAIT. At 1 (the default)
   * it adapts to load by itself: a caught-up consumer gets each record as it arrives, a consumer
   * behind gets up to a megabyte a partition in one go. A larger value trades up to the wait in
   * latency, whenever traffic is light, for fewer fetches.
   */
  KAFKA_FETCH_MIN_BYTES: envInt(1, 1, 52_428_800),
  /** Longest a fetch waits for KAFKA_FETCH_MIN_BYTES: with nothing to read, how long each poll lasts. */
  KAFKA_FETCH_MAX_WAIT: envDuration('100ms').refine(
    (ms) => ms >= 1 && ms <= 10_000,
    'must be between 1ms and 10s',
  ),
  /**
   * While a service's event loop is busier than KAFKA_FETCH_GATHER_BUSY (0-1), a consumer whose
   * batch was under KAFKA_FETCH_GATHER_BYTES waits up to KAFKA_FETCH_GATHER_MAX_WAIT (scaled by how
   * busy) before fetching again, so a loaded service takes fuller batches; an idle one never waits.
   * KAFKA_FETCH_GATHER_MAX_WAIT=0 turns it off.
   */
  KAFKA_FETCH_GATHER_BYTES: envInt(16_384, 1, 52_428_800),
  KAFKA_FETCH_GATHER_MAX_WAIT: envDuration('20ms').refine(
    (ms) => ms >= 0 && ms <= 100,
    'must be between 0 and 100ms',
  ),
  KAFKA_FETCH_GATHER_BUSY: z.coerce.number().min(0).max(1).default(0.5),
});

export type KafkaEnv = z.infer<typeof kafkaEnv>;

/** The fetch, gathering and commit settings every hot-path consumer takes from KafkaEnv. */
export function consumerSettings(env: KafkaEnv): {
  minBytes: number;
  maxWaitTimeInMs: number;
  commitIntervalMs: number;
  gathering: FetchGathering;
} {
  return {
    minBytes: env.KAFKA_FETCH_MIN_BYTES,
    maxWaitTimeInMs: env.KAFKA_FETCH_MAX_WAIT,
    commitIntervalMs: env.KAFKA_COMMIT_INTERVAL,
    gathering: {
      bytes: env.KAFKA_FETCH_GATHER_BYTES,
      maxWaitMs: env.KAFKA_FETCH_GATHER_MAX_WAIT,
      busyAbove: env.KAFKA_FETCH_GATHER_BUSY,
    },
  };
}
