import { randomBytes } from 'node:crypto';
import { Kafka, logLevel, type Consumer, type IHeaders, type Producer } from 'kafkajs';
import type { EndpointSnapshot } from '@herald/contracts';

export interface SeenRecord {
  topic: string;
  partition: number;
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
  readAt: number;
}

/** Test-side Kafka access for the dispatcher suite: a producer and a consumer recording what Herald wrote. */
export class DispatcherKafka {
  readonly seen: SeenRecord[] = [];

  private constructor(
    private readonly producer: Producer,
    private readonly consumer: Consumer,
  ) {}

  static async start(brokers: string[], topics: string[]): Promise<DispatcherKafka> {
    const kafka = new Kafka({ clientId: 'dispatcher-e2e', brokers, logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    const consumer = kafka.consumer({
      groupId: `dispatcher-e2e-${randomBytes(4).toString('hex')}`,
      maxWaitTimeInMs: 50,
    });
    const self = new DispatcherKafka(producer, consumer);
    await Promise.all([producer.connect(), consumer.connect()]);
    await consumer.subscribe({ topics, fromBeginning: true });
    const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
    await consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        self.seen.push({
          topic,
          partition,
          key: message.key?.toString() ?? null,
          value: message.value?.toString() ?? null,
          headers: stringHeaders(message.headers),
          readAt: Date.now(),
        });
      },
    });
    await joined;
    return self;
  }

  async publishEndpoints(endpoints: EndpointSnapshot[]): Promise<void> {
    await this.producer.send({
      topic: 'herald.subscriptions',
      acks: -1,
      messages: endpoints.map((e) => ({ key: e.id, value: JSON.stringify(e) })),
    });
  }

  async produce(
    topic: string,
    messages: { key: string; value: string; partition?: number; headers?: Record<string, string> }[],
  ): Promise<void> {
    await this.producer.send({ topic, acks: -1, messages });
  }

  matching(filter: (record: SeenRecord) => boolean): SeenRecord[] {
    return this.seen.filter(filter);
  }

  async waitFor(
    count: number,
    filter: (record: SeenRecord) => boolean,
    timeoutMs = 20_000,
  ): Promise<SeenRecord[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.matching(filter);
      if (found.length >= count) return found;
      if (Date.now() > deadline)
        throw new Error(`timed out waiting for ${count} records; got ${found.length}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  async stop(): Promise<void> {
    await Promise.all([this.consumer.disconnect(), this.producer.disconnect()]);
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
