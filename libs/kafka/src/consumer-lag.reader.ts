import type { Admin } from 'kafkajs';

/** One consumer group as the cluster describes it, with the offsets it committed. */
export interface GroupSnapshot {
  group: string;
  /** Kafka's group state: Stable, Empty, Dead, PreparingRebalance, CompletingRebalance, … */
  state: string;
  members: number;
  committed: { topic: string; partition: number; offset: number }[];
}

export interface TopicWatermarks {
  topic: string;
  partitions: { partition: number; low: number; high: number }[];
}

export interface ClusterSnapshot {
  brokers: number;
  groups: GroupSnapshot[];
  /** Every topic a group committed on, and the extra topics asked for that exist. */
  watermarks: TopicWatermarks[];
}

/**
 * What lag and dead-letter counts are computed from: the groups' states and committed offsets, and
 * the low and high watermarks of the topics they read (plus `extraTopics`, e.g. dead-letter topics).
 * Reads only; never joins a group.
 */
export async function readClusterSnapshot(
  admin: Admin,
  groups: readonly string[],
  extraTopics: readonly string[],
): Promise<ClusterSnapshot> {
  const cluster = await admin.describeCluster();
  const described = await admin.describeGroups([...groups]);
  const snapshots: GroupSnapshot[] = [];
  for (const group of groups) {
    const description = described.groups.find((g) => g.groupId === group);
    const offsets = await admin.fetchOffsets({ groupId: group });
    snapshots.push({
      group,
      state: description?.state ?? 'Dead',
      members: description?.members.length ?? 0,
      committed: offsets.flatMap(({ topic, partitions }) =>
        partitions.map((p) => ({ topic, partition: p.partition, offset: Number(p.offset) })),
      ),
    });
  }
  const existing = new Set(await admin.listTopics());
  const topics = new Set([
    ...snapshots.flatMap((s) => s.committed.map((c) => c.topic)),
    ...extraTopics.filter((topic) => existing.has(topic)),
  ]);
  const watermarks: TopicWatermarks[] = [];
  for (const topic of [...topics].filter((t) => existing.has(t)).sort()) {
    const offsets = await admin.fetchTopicOffsets(topic);
    watermarks.push({
      topic,
      partitions: offsets.map((o) => ({ partition: o.partition, low: Number(o.low), high: Number(o.high) })),
    });
  }
  return { brokers: cluster.brokers.length, groups: snapshots, watermarks };
}
