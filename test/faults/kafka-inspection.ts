import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { Topics } from '@herald/contracts';

/**
 * Read-only views of the cluster for the fault suite, each with a fresh client: a long-lived one
 * can be left on a dead connection by the very faults the suite injects.
 */
export class KafkaInspection {
  private readonly kafka: Kafka;

  constructor(brokers: string[]) {
    this.kafka = new Kafka({
      clientId: 'herald-faults-inspect',
      brokers,
      logLevel: logLevel.NOTHING,
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

  /** Every record of `topic`, read with a fresh group up to the current high watermarks. */
  private async readTopic(
    topic: string,
    timeoutMs: number,
  ): Promise<{ key: string | null; value: string | null }[]> {
    const targets = new Map<number, bigint>();
    await this.withAdmin(async (admin) => {
      for (const { partition, high, low } of await admin.fetchTopicOffsets(topic)) {
        if (BigInt(high) > BigInt(low)) targets.set(partition, BigInt(high) - 1n);
      }
    });
    const found: { key: string | null; value: string | null }[] = [];
    if (targets.size === 0) return found;
    const consumer = this.kafka.consumer({ groupId: `faults-read-${randomUUID()}`, maxWaitTimeInMs: 50 });
    await consumer.connect();
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        void consumer.run({
          eachMessage: async ({ partition, message }) => {
            found.push({ key: message.key?.toString() ?? null, value: message.value?.toString() ?? null });
            const target = targets.get(partition);
            if (target !== undefined && BigInt(message.offset) >= target) targets.delete(partition);
            if (targets.size === 0) {
              clearTimeout(timer);
              resolve();
            }
          },
        });
      });
    } finally {
      await consumer.disconnect();
    }
    return found;
  }
}
