import type { Kafka } from 'kafkajs';

export interface TopicSpec {
  topic: string;
  partitions: number;
  /** Unset: the broker's default.replication.factor. */
  replicationFactor?: number;
  configEntries?: Record<string, string>;
}

/** An existing topic with fewer partitions than its spec asks for; ensureTopics never changes it. */
export interface PartitionShortfall {
  topic: string;
  partitions: number;
  wanted: number;
}

export interface EnsureTopicsOptions {
  /** Called once per existing topic with fewer partitions than asked (costs one metadata request). */
  onPartitionShortfall?: (shortfall: PartitionShortfall) => void;
}

/** Creates missing topics on a real cluster; existing ones are left as they are. */
export async function ensureTopics(
  kafka: Kafka,
  specs: TopicSpec[],
  options: EnsureTopicsOptions = {},
): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = specs.filter((spec) => !existing.has(spec.topic));
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((spec) => ({
          topic: spec.topic,
          numPartitions: spec.partitions,
          ...(spec.replicationFactor !== undefined ? { replicationFactor: spec.replicationFactor } : {}),
          configEntries: Object.entries(spec.configEntries ?? {}).map(([name, value]) => ({ name, value })),
        })),
      });
    }
    const present = specs.filter((spec) => existing.has(spec.topic));
    if (options.onPartitionShortfall && present.length > 0) {
      const metadata = await admin.fetchTopicMetadata({ topics: present.map((spec) => spec.topic) });
      const actual = new Map(metadata.topics.map((topic) => [topic.name, topic.partitions.length]));
      for (const spec of present) {
        const partitions = actual.get(spec.topic);
        if (partitions !== undefined && partitions < spec.partitions) {
          options.onPartitionShortfall({ topic: spec.topic, partitions, wanted: spec.partitions });
        }
      }
    }
    return missing.map((spec) => spec.topic);
  } finally {
    await admin.disconnect();
  }
}
