import type { Kafka } from 'kafkajs';
import { pollUntil } from './kafka-tap';

/** One record's place: the group has passed it once its committed offset is beyond `offset`. */
export interface RecordPosition {
  topic: string;
  partition: number;
  offset: bigint | string;
}

/**
 * Waits until consumer group `groupId` has committed past `at`. Herald's groups commit only after
 * what they produced for a record was acknowledged, so after this the record was fully handled.
 */
export async function waitForCommitPast(
  kafka: Kafka,
  groupId: string,
  at: RecordPosition,
  timeoutMs = 20_000,
): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await pollUntil(
      async () => {
        const [committed] = await admin.fetchOffsets({ groupId, topics: [at.topic] });
        const offset = committed?.partitions.find((p) => p.partition === at.partition)?.offset ?? '-1';
        return BigInt(offset) > BigInt(at.offset);
      },
      timeoutMs,
      50,
      () => `timed out waiting for ${groupId} to commit past ${at.topic}:${at.partition}@${at.offset}`,
    );
  } finally {
    await admin.disconnect();
  }
}
