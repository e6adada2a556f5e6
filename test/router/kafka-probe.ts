import { randomUUID } from 'node:crypto';
import type { IHeaders, Kafka, Producer } from 'kafkajs';
import { KafkaTap, pollUntil, testKafkaClient } from '@herald/testing';

export interface ProbeRecord {
  topic: string;
  partition: number;
  key: string | null;
  value: Buffer | null;
  headers: IHeaders;
}

/** A test's own producer and a consumer recording everything on the topics it watches. */
export class KafkaProbe {
  private readonly kafka: Kafka;
  private producer?: Producer;
  private tap?: KafkaTap<ProbeRecord>;

  constructor(brokers: string[]) {
    this.kafka = testKafkaClient(brokers, `probe-${randomUUID().slice(0, 8)}`);
  }

  async start(topics: string[]): Promise<void> {
    this.producer = this.kafka.producer({ allowAutoTopicCreation: false });
    await this.producer.connect();
    if (topics.length === 0) return;
    this.tap = await KafkaTap.start(this.kafka, topics, 'probe', ({ topic, partition, message }) => ({
      topic,
      partition,
      key: message.key?.toString() ?? null,
      value: message.value,
      headers: message.headers ?? {},
    }));
  }

  get records(): ProbeRecord[] {
    return this.tap?.records ?? [];
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
    return this.producer!.send({ topic, acks: -1, messages });
  }

  /**
   * Waits until consumer group `groupId` has committed past `offset` of `topic`/`partition` (it
   * commits only after what it produced for those records was acknowledged), then until every record
   * now on `outputTopic` has been read. After that, a record the group did not produce never will be.
   */
  async settledPast(
    groupId: string,
    topic: string,
    partition: number,
    offset: string,
    outputTopic: string,
  ): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      await this.waitFor(`${groupId} to commit past ${topic}:${partition}@${offset}`, async () => {
        const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
        const at = committed?.partitions.find((p) => p.partition === partition)?.offset ?? '-1';
        return BigInt(at) > BigInt(offset);
      });
    } finally {
      await admin.disconnect();
    }
    await this.tap!.readToEnd(outputTopic);
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
    return pollUntil(probe, timeoutMs, 50, () => `timed out waiting for ${what}`);
  }

  async stop(): Promise<void> {
    await this.tap?.stop();
    await this.producer?.disconnect();
  }
}
