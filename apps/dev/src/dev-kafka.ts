import { DEFAULT_DOMAIN_TOPICS, heraldTopicSpecs, parseDuration } from '@herald/contracts';
import { KafkaCluster, MockKafkaCluster, kafkaToolsAvailable } from '@herald/testing';

export interface DevKafka {
  brokers: string[];
  /** What runs, for the start-up line and dev.json. */
  description: string;
  stop(): Promise<void>;
}

/**
 * Apache Kafka in KRaft mode when a JDK and Maven are on PATH (the first run downloads the broker
 * through Maven); librdkafka's mock cluster only where neither exists, said in one line.
 */
export async function startDevKafka(
  nodes: number,
  retryTiers: string[],
  log: (line: string) => void,
): Promise<DevKafka> {
  const specs = heraldTopicSpecs({
    retryTierDelaysMs: retryTiers.map(parseDuration),
    domainTopics: DEFAULT_DOMAIN_TOPICS,
    partitions: 4,
  });
  if (kafkaToolsAvailable()) {
    const cluster = await KafkaCluster.start({ nodes, label: 'dev' });
    await cluster.createTopics(
      specs.map((spec) => ({ topic: spec.topic, partitions: spec.partitions, configEntries: spec.config })),
    );
    return {
      brokers: cluster.brokers,
      description: `Apache Kafka ${cluster.version} (${nodes} node${nodes > 1 ? 's' : ''}, KRaft)`,
      stop: () => cluster.stop(),
    };
  }
  log("no JDK and Maven found: falling back to librdkafka's mock Kafka cluster, which is not Apache Kafka");
  const mock = MockKafkaCluster.start(nodes);
  for (const spec of specs) mock.createTopic(spec.topic, spec.partitions);
  return {
    brokers: mock.brokers,
    description: `mock Kafka cluster (${nodes} brokers)`,
    stop: async () => mock.stop(),
  };
}
