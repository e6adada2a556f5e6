import type { Admin, Kafka } from 'kafkajs';

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
  /** How long new topics may take to get a leader on every partition (default 30 s). */
  leaderTimeoutMs?: number;
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
      // kafkajs' own waitForLeaders retries only LEADER_NOT_AVAILABLE, but on a KRaft cluster of
      // several brokers a fresh topic is briefly unknown to those the controller has not told yet.
      await admin.createTopics({
        waitForLeaders: false,
        topics: missing.map((spec) => ({
          topic: spec.topic,
          numPartitions: spec.partitions,
          ...(spec.replicationFactor !== undefined ? { replicationFactor: spec.replicationFactor } : {}),
          configEntries: Object.entries(spec.configEntries ?? {}).map(([name, value]) => ({ name, value })),
        })),
      });
      await waitForLeaders(
        admin,
        missing.map((spec) => spec.topic),
        options.leaderTimeoutMs ?? 30_000,
      );
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

/** Polls metadata until every partition of `topics` has a leader; any error before the deadline is retried. */
async function waitForLeaders(admin: Admin, topics: string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const { topics: found } = await admin.fetchTopicMetadata({ topics });
      const led = found.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0));
      if (found.length === topics.length && led) return;
      last = new Error('some partitions have no leader yet');
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      const reason = last instanceof Error ? last.message : String(last);
      throw new Error(`topics ${topics.join(', ')} have no leader after ${timeoutMs} ms: ${reason}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
