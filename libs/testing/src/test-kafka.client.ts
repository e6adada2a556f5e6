import { Kafka, logLevel, type KafkaConfig } from 'kafkajs';

/** Client settings a test or bench may tune; brokers and the client id stay the factory's. */
export type TestKafkaTuning = Omit<KafkaConfig, 'brokers' | 'clientId'>;

/**
 * The one Kafka client tests and benches use for their own producers, admins and taps: quiet, named
 * by the caller. A suite that needs other timeouts or retries (the fault suite, the bench) passes them
 * here instead of building its own client.
 */
export function testKafkaClient(brokers: string[], label: string, tuning: TestKafkaTuning = {}): Kafka {
  return new Kafka({ logLevel: logLevel.NOTHING, ...tuning, clientId: `herald-test-${label}`, brokers });
}
