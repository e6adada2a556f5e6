import { randomBytes } from 'node:crypto';
import type { Consumer, IHeaders, Kafka, KafkaMessage } from 'kafkajs';

/** One record as a tap read it. */
export interface TapMessage {
  topic: string;
  partition: number;
  message: KafkaMessage;
  /** When this test process read it (epoch ms). */
  readAt: number;
}

/**
 * A test-side consumer that records every record of some topics from the beginning, under a group of
 * its own, so tests can assert on what Herald produced. `start` returns once the group is joined.
 * Each suite keeps records in the shape it asserts on, through `toRecord`.
 */
export class KafkaTap<R> {
  readonly records: R[] = [];

  private constructor(private readonly consumer: Consumer) {}

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
    const tap = new KafkaTap<R>(consumer);
    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning: true });
    const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
    await consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        tap.records.push(toRecord({ topic, partition, message, readAt: Date.now() }));
      },
    });
    await joined;
    return tap;
  }

  matching(filter: (record: R) => boolean): R[] {
    return this.records.filter(filter);
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
