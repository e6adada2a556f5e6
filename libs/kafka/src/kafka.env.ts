import { z } from 'zod';
import { envBool, envInt } from '@herald/config';

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
});

export type KafkaEnv = z.infer<typeof kafkaEnv>;
