import { z } from 'zod';
import { envBool, envDuration, envInt } from '@herald/config';

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
  /** How often consumers commit finished offsets (0: after every batch); a crash re-reads at most this much. */
  KAFKA_COMMIT_INTERVAL: envDuration('1s').refine(
    (ms) => ms >= 0 && ms <= 60_000,
    'must be between 0 and 60s',
  ),
  /**
   * A fetch waits for this many bytes (or KAFKA_FETCH_MAX_WAIT): fewer, fuller batches under load,
   * which costs at most the wait in latency when traffic is light.
   */
  KAFKA_FETCH_MIN_BYTES: envInt(16_384, 1, 52_428_800),
  KAFKA_FETCH_MAX_WAIT: envDuration('100ms').refine(
    (ms) => ms >= 1 && ms <= 10_000,
    'must be between 1ms and 10s',
  ),
});

export type KafkaEnv = z.infer<typeof kafkaEnv>;

/** The fetch and commit settings every hot-path consumer takes from KafkaEnv. */
export function consumerSettings(env: KafkaEnv): {
  minBytes: number;
  maxWaitTimeInMs: number;
  commitIntervalMs: number;
} {
  return {
    minBytes: env.KAFKA_FETCH_MIN_BYTES,
    maxWaitTimeInMs: env.KAFKA_FETCH_MAX_WAIT,
    commitIntervalMs: env.KAFKA_COMMIT_INTERVAL,
  };
}
