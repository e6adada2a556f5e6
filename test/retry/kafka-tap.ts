import { randomBytes } from 'node:crypto';
import { Kafka, logLevel, type Consumer, type IHeaders } from 'kafkajs';

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

/**
 * A test-side consumer that records every record of some topics from the beginning, under a group of
 * its own, so tests can assert on what Herald produced.
 */
export class KafkaTap {
  readonly records: TappedRecord[] = [];
  private listeners: ((record: TappedRecord) => void)[] = [];

  private constructor(private readonly consumer: Consumer) {}

  static async start(brokers: string[], topics: string[], label = 'tap'): Promise<KafkaTap> {
    const kafka = new Kafka({ clientId: `herald-test-${label}`, brokers, logLevel: logLevel.NOTHING });
    const consumer = kafka.consumer({
      groupId: `herald-test-${label}-${randomBytes(4).toString('hex')}`,
      maxWaitTimeInMs: 50,
    });
    const tap = new KafkaTap(consumer);
    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning: true });
    const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
    await consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        const record: TappedRecord = {
          topic,
          partition,
          offset: message.offset,
          key: message.key?.toString() ?? null,
          value: message.value,
          headers: stringHeaders(message.headers),
          readAt: Date.now(),
        };
        tap.records.push(record);
        for (const listener of tap.listeners) listener(record);
      },
    });
    await joined;
    return tap;
  }

  onRecord(listener: (record: TappedRecord) => void): void {
    this.listeners.push(listener);
  }

  matching(filter: (record: TappedRecord) => boolean): TappedRecord[] {
    return this.records.filter(filter);
  }

  async waitFor(
    count: number,
    filter: (record: TappedRecord) => boolean,
    timeoutMs = 30_000,
  ): Promise<TappedRecord[]> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const found = this.matching(filter);
      if (found.length >= count) return found;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`timed out waiting for ${count} records; got ${this.matching(filter).length}`);
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }
}

function stringHeaders(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    out[name] = (Array.isArray(value) ? value[0] : value)?.toString() ?? '';
  }
  return out;
}
