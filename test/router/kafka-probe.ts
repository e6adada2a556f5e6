import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Consumer, type IHeaders, type Producer } from 'kafkajs';

export interface ProbeRecord {
  topic: string;
  partition: number;
  key: string | null;
  value: Buffer | null;
  headers: IHeaders;
}

/** A test's own producer and a consumer recording everything on the topics it watches. */
export class KafkaProbe {
  readonly records: ProbeRecord[] = [];
  private readonly kafka: Kafka;
  private producer?: Producer;
  private consumer?: Consumer;

  constructor(brokers: string[]) {
    this.kafka = new Kafka({
      clientId: `probe-${randomUUID().slice(0, 8)}`,
      brokers,
      logLevel: logLevel.NOTHING,
    });
  }

  async start(topics: string[]): Promise<void> {
    this.producer = this.kafka.producer({ allowAutoTopicCreation: false });
    await this.producer.connect();
    if (topics.length === 0) return;
    this.consumer = this.kafka.consumer({ groupId: `probe-${randomUUID()}`, maxWaitTimeInMs: 50 });
    await this.consumer.connect();
    await this.consumer.subscribe({ topics, fromBeginning: true });
    const joined = new Promise<void>((resolve) =>
      this.consumer!.on(this.consumer!.events.GROUP_JOIN, () => resolve()),
    );
    await this.consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        this.records.push({
          topic,
          partition,
          key: message.key?.toString() ?? null,
          value: message.value,
          headers: message.headers ?? {},
        });
      },
    });
    await joined;
  }

  /** A new producer connection, e.g. after the mock cluster took a broker down under the old one. */
  async reconnectProducer(): Promise<void> {
    await this.producer?.disconnect().catch(() => undefined);
    this.producer = this.kafka.producer({ allowAutoTopicCreation: false });
    await this.producer.connect();
  }

  async send(
    topic: string,
    messages: {
      key?: string | null;
      value: string | Buffer | null;
      partition?: number;
      headers?: IHeaders;
    }[],
  ) {
    await this.producer!.send({ topic, acks: -1, messages });
  }

  on(topic: string): ProbeRecord[] {
    return this.records.filter((record) => record.topic === topic);
  }

  /** Polls until `predicate` holds; fails with `what` after `timeoutMs`. */
  async waitFor<T>(
    what: string,
    probe: () => T | undefined | false | Promise<T | undefined | false>,
    timeoutMs = 20_000,
  ): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe();
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
    await this.producer?.disconnect();
  }
}
