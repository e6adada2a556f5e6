import { randomBytes } from 'node:crypto';
import type { Consumer, IHeaders, Kafka, KafkaMessage } from 'kafkajs';
import { testKafkaClient } from './test-kafka.client';

/** One record as a tap read it. */
export interface TapMessage {
  topic: string;
  partition: number;
  message: KafkaMessage;
  /** When this test process read it (epoch ms). */
  readAt: number;
}

/** A record in the shape most suites assert on: key as a string, headers as strings. */
export interface TappedRecord {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
  /** When this test process read it (epoch ms). */
  readAt: number;
}

export function toTappedRecord({ topic, partition, message, readAt }: TapMessage): TappedRecord {
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key?.toString() ?? null,
    value: message.value,
    headers: stringHeaders(message.headers),
    readAt,
  };
}

/**
 * A test-side consumer that records every record of some topics from the beginning, under a group of
 * its own, so tests can assert on what Herald produced. `start` returns once the group is joined.
 * Each suite keeps records in the shape it asserts on, through `toRecord`.
 */
export class KafkaTap<R> {
  readonly records: R[] = [];
  private readonly listeners: ((record: R) => void)[] = [];
  /** Next offset to read, per `topic:partition`. */
  private readonly positions = new Map<string, bigint>();

  private constructor(
    private readonly kafka: Kafka,
    private readonly consumer: Consumer,
  ) {}

  /** A tap of TappedRecords on its own client, for suites without a Kafka client of their own. */
  static recording(brokers: string[], topics: string[], label = 'tap'): Promise<KafkaTap<TappedRecord>> {
    return KafkaTap.start(testKafkaClient(brokers, label), topics, `herald-test-${label}`, toTappedRecord);
  }

  static async start<R>(
    kafka: Kafka,
    topics: string[],
    groupPrefix: string,
    toRecord: (read: TapMessage) => R,
  ): Promise<KafkaTap<R>> {
    const consumer = kafka.consumer({
      groupId: `${groupPrefix}-${randomBytes(4).toString('hex')}`,
      maxWaitTimeInMs: 50,
    });
    const tap = new KafkaTap<R>(kafka, consumer);
    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning: true });
    const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
    await consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        tap.positions.set(`${topic}:${partition}`, BigInt(message.offset) + 1n);
        const record = toRecord({ topic, partition, message, readAt: Date.now() });
        tap.records.push(record);
        for (const listener of tap.listeners) listener(record);
      },
    });
    await joined;
    return tap;
  }

  /** Called with every record read from now on. */
  onRecord(listener: (record: R) => void): void {
    this.listeners.push(listener);
  }

  matching(filter: (record: R) => boolean): R[] {
    return this.records.filter(filter);
  }

  /** Waits until at least `count` records match, and returns them. */
  waitFor(count: number, filter: (record: R) => boolean, timeoutMs = 30_000): Promise<R[]> {
    return pollUntil(
      () => {
        const found = this.matching(filter);
        return found.length >= count && found;
      },
      timeoutMs,
      25,
      () => `timed out waiting for ${count} records; got ${this.matching(filter).length}`,
    );
  }

  /**
   * Waits until a record bearing each of `keys` has been read, however many copies of one came
   * (at-least-once delivery may repeat any of them); returns every record bearing one of them.
   */
  waitForEach(
    keys: Iterable<string>,
    keyOf: (record: R) => string | undefined,
    timeoutMs = 30_000,
  ): Promise<R[]> {
    const wanted = new Set(keys);
    const missing = () => {
      const left = new Set(wanted);
      for (const record of this.records) left.delete(keyOf(record) ?? '');
      return left;
    };
    return pollUntil(
      () => missing().size === 0 && this.matching((record) => wanted.has(keyOf(record) ?? '')),
      timeoutMs,
      25,
      () => `timed out waiting for ${wanted.size} keys; ${missing().size} never arrived`,
    );
  }

  /**
   * Resolves once every record `topic` holds now has been read: the ground for asserting that
   * something was not produced, once whatever would have produced it is known to be done.
   */
  async readToEnd(topic: string, timeoutMs = 20_000): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    const ends = await admin.fetchTopicOffsets(topic).finally(() => admin.disconnect());
    const behind = () =>
      ends.filter(
        ({ partition, high }) => (this.positions.get(`${topic}:${partition}`) ?? 0n) < BigInt(high),
      );
    await pollUntil(
      () => behind().length === 0,
      timeoutMs,
      25,
      () => `timed out reading ${topic} to its end; behind on partitions ${behind().map((e) => e.partition)}`,
    );
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }
}

/** Kafka headers as strings (the first value of a repeated header). */
export function stringHeaders(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    out[name] = (Array.isArray(value) ? value[0] : value)?.toString() ?? '';
  }
  return out;
}

/**
 * Polls `probe` every `intervalMs` until it returns something truthy, and returns that; after
 * `timeoutMs` it fails with `failure()`.
 */
export async function pollUntil<T>(
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs: number,
  intervalMs: number,
  failure: () => string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(failure());
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
