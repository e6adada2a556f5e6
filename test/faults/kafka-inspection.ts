import type { Admin, Kafka } from 'kafkajs';
import { Topics } from '@herald/contracts';
import { KafkaTap, testKafkaClient } from '@herald/testing';

/**
 * Read-only views of the cluster for the fault suite, each with a fresh client: a long-lived one
 * can be left on a dead connection by the very faults the suite injects.
 */
export class KafkaInspection {
  private readonly kafka: Kafka;

  constructor(brokers: string[]) {
    this.kafka = testKafkaClient(brokers, 'faults-inspect', {
      requestTimeout: 10_000,
      retry: { retries: 3, maxRetryTime: 1_000 },
    });
  }

  private async withAdmin<T>(use: (admin: Admin) => Promise<T>): Promise<T> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      return await use(admin);
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  /**
   * Per partition of the router's and dispatcher's input, records not yet committed (high watermark
   * minus committed offset): a partition whose reads or commits stopped shows up here.
   */
  uncommitted(): Promise<Record<string, Record<number, number>>> {
    const groups: [string, string][] = [
      ['herald-dispatcher', Topics.deliveries],
      ['herald-router', 'domain.messages'],
    ];
    return this.withAdmin(async (admin) => {
      const out: Record<string, Record<number, number>> = {};
      for (const [groupId, topic] of groups) {
        const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
        const offsets = new Map(committed.partitions.map((p) => [p.partition, BigInt(p.offset)]));
        const lag: Record<number, number> = {};
        for (const { partition, high } of await admin.fetchTopicOffsets(topic)) {
          const at = offsets.get(partition) ?? -1n;
          lag[partition] = Number(BigInt(high) - (at < 0n ? 0n : at));
        }
        out[`${groupId} ${topic}`] = lag;
      }
      return out;
    });
  }

  /** Records on herald.events.invalid, from its high watermarks (a tap could miss some). */
  invalidEventsWritten(): Promise<number> {
    return this.withAdmin(async (admin) =>
      (await admin.fetchTopicOffsets(Topics.eventsInvalid)).reduce((sum, { high }) => sum + Number(high), 0),
    );
  }

  /**
   * Partitions of the listed topics (all of them by default) whose in-sync replicas are fewer than
   * their replicas: a broker that came back has not caught up yet.
   */
  underReplicated(topics?: string[]): Promise<string[]> {
    return this.withAdmin(async (admin) => {
      const names = topics ?? (await admin.listTopics()).filter((t) => !t.startsWith('__'));
      const { topics: metadata } = await admin.fetchTopicMetadata({ topics: names });
      return metadata.flatMap((topic) =>
        topic.partitions
          .filter((p) => p.isr.length < p.replicas.length || p.leader < 0)
          .map((p) => `${topic.name}:${p.partitionId}`),
      );
    });
  }

  /** Every dead letter written so far, read with a fresh group up to the current high watermarks. */
  async readDeadLetters(timeoutMs = 30_000): Promise<{ endpointId: string; eventId: string }[]> {
    const found: { endpointId: string; eventId: string }[] = [];
    for (const { value } of await this.readTopic(Topics.deliveriesDead, timeoutMs)) {
      try {
        const dead = JSON.parse(value ?? '') as { endpointId: string; eventId: string };
        found.push({ endpointId: dead.endpointId, eventId: dead.eventId });
      } catch {
        // not a delivery
      }
    }
    return found;
  }

  /** Keys of every record on herald.events.invalid (the rejected input's original keys). */
  async invalidEventKeys(timeoutMs = 30_000): Promise<Set<string>> {
    const records = await this.readTopic(Topics.eventsInvalid, timeoutMs);
    return new Set(records.flatMap(({ key }) => (key === null ? [] : [key])));
  }

  /** Every record of `topic` up to its current end, read by a tap with a group of its own. */
  private async readTopic(
    topic: string,
    timeoutMs: number,
  ): Promise<{ key: string | null; value: string | null }[]> {
    const tap = await KafkaTap.start(this.kafka, [topic], 'faults-read', ({ message }) => ({
      key: message.key?.toString() ?? null,
      value: message.value?.toString() ?? null,
    }));
    try {
      await tap.readToEnd(topic, timeoutMs);
    } finally {
      await tap.stop();
    }
    return tap.records;
  }
}
