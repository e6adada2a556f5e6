import type { Kafka, Message, Producer } from 'kafkajs';

export interface OutgoingRecord {
  topic: string;
  key: string | null;
  value: string | Buffer | null;
  headers?: Record<string, string | Buffer>;
}

/**
 * Producer with acks from all in-sync replicas; `send` resolves only once Kafka has acknowledged,
 * which is what lets consumers commit their input offsets afterwards.
 */
export class HeraldProducer {
  private readonly producer: Producer;
  private connected?: Promise<void>;

  constructor(kafka: Kafka) {
    this.producer = kafka.producer({ allowAutoTopicCreation: false, maxInFlightRequests: 5 });
  }

  connect(): Promise<void> {
    this.connected ??= this.producer.connect();
    return this.connected;
  }

  async send(records: OutgoingRecord[]): Promise<void> {
    if (records.length === 0) return;
    await this.connect();
    const byTopic = new Map<string, Message[]>();
    for (const record of records) {
      const list = byTopic.get(record.topic) ?? [];
      list.push({ key: record.key, value: record.value, headers: record.headers });
      byTopic.set(record.topic, list);
    }
    await this.producer.sendBatch({
      acks: -1,
      topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
    });
  }

  async disconnect(): Promise<void> {
    if (!this.connected) return;
    await this.connected.catch(() => undefined);
    await this.producer.disconnect();
    this.connected = undefined;
  }
}
