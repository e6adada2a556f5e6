import { Kafka, logLevel } from 'kafkajs';

/** The one Kafka client tests use for their own producers, admins and taps: quiet, named by the test. */
export function testKafkaClient(brokers: string[], label: string): Kafka {
  return new Kafka({ clientId: `herald-test-${label}`, brokers, logLevel: logLevel.NOTHING });
}
