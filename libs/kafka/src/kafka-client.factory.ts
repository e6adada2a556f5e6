import { readFileSync } from 'node:fs';
import { Kafka, logLevel, type SASLOptions } from 'kafkajs';
import type { KafkaEnv } from './kafka.env';
import { guardKafkaJSRunner } from './kafkajs-runner.guard';

/**
 * The only place a kafkajs client is constructed, so a KafkaJS-compatible client could replace it.
 * kafkajs' own logger is silenced: its errors surface through the callers that handle them.
 */
export function createKafkaClient(
  env: KafkaEnv,
  clientSuffix?: string,
  options: { retries?: number } = {},
): Kafka {
  guardKafkaJSRunner();
  const sasl: SASLOptions | undefined =
    env.KAFKA_SASL_MECHANISM && env.KAFKA_SASL_USERNAME
      ? ({
          mechanism: env.KAFKA_SASL_MECHANISM,
          username: env.KAFKA_SASL_USERNAME,
          password: env.KAFKA_SASL_PASSWORD ?? '',
        } as SASLOptions)
      : undefined;
  return new Kafka({
    clientId: clientSuffix ? `${env.KAFKA_CLIENT_ID}-${clientSuffix}` : env.KAFKA_CLIENT_ID,
    brokers: env.KAFKA_BROKERS,
    ssl: env.KAFKA_SSL
      ? env.KAFKA_SSL_CA_PATH
        ? { ca: [readFileSync(env.KAFKA_SSL_CA_PATH, 'utf8')] }
        : true
      : false,
    sasl,
    connectionTimeout: env.KAFKA_CONNECTION_TIMEOUT_MS,
    requestTimeout: env.KAFKA_REQUEST_TIMEOUT_MS,
    // Services ride out broker restarts; a one-shot tool (the CLI) asks for fewer retries to fail fast.
    retry: { initialRetryTime: 100, maxRetryTime: 5_000, retries: options.retries ?? 12 },
    logLevel: logLevel.NOTHING,
  });
}
