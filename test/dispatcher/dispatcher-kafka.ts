import type { Kafka, Producer } from 'kafkajs';
import type { EndpointSnapshot } from '@herald/contracts';
import { KafkaTap, stringHeaders, testKafkaClient } from '@herald/testing';

export interface SeenRecord {
  topic: string;
  partition: number;
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
  readAt: number;
}

/** The dispatcher suites' Kafka access: the pipeline's producer and a tap recording what Herald wrote. */
export class DispatcherKafka {
  private constructor(
    private readonly producer: Producer,
    private readonly tap: KafkaTap<SeenRecord>,
    /** Set when this object connected the producer itself, so `stop` disconnects it. */
    private readonly ownsProducer = false,
  ) {}

  /** On a client and producer of its own, for a suite that starts Kafka without startPipeline. */
  static async start(brokers: string[], topics: string[]): Promise<DispatcherKafka> {
    const kafka = testKafkaClient(brokers, 'dispatcher-e2e');
    const producer = kafka.producer();
    await producer.connect();
    const { tap } = await DispatcherKafka.on(kafka, producer, topics);
    return new DispatcherKafka(producer, tap, true);
  }

  /** On a pipeline's client and producer; `stop` leaves the producer to the pipeline. */
  static async on(kafka: Kafka, producer: Producer, topics: string[]): Promise<DispatcherKafka> {
    const tap = await KafkaTap.start(
      kafka,
      topics,
      'dispatcher-e2e',
      ({ topic, partition, message, readAt }) => ({
        topic,
        partition,
        key: message.key?.toString() ?? null,
        value: message.value?.toString() ?? null,
        headers: stringHeaders(message.headers),
        readAt,
      }),
    );
    return new DispatcherKafka(producer, tap);
  }

  get seen(): SeenRecord[] {
    return this.tap.records;
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
    return this.tap.matching(filter);
  }

  async waitFor(
    count: number,
    filter: (record: SeenRecord) => boolean,
    timeoutMs = 20_000,
  ): Promise<SeenRecord[]> {
    return this.tap.waitFor(count, filter, timeoutMs);
  }

  async stop(): Promise<void> {
    await Promise.all([this.tap.stop(), this.ownsProducer ? this.producer.disconnect() : undefined]);
  }
}
