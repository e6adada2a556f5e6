import { randomUUID } from 'node:crypto';
import type { IHeaders, Kafka, Producer } from 'kafkajs';
import { waitForCommitPast } from './consumer-group';
import { KafkaTap, pollUntil } from './kafka-tap';
import { testKafkaClient } from './test-kafka.client';

export interface ProbeRecord {
  topic: string;
  partition: number;
  key: string | null;
  value: Buffer | null;
  headers: IHeaders;
}

/**
 * A test's own producer (acks from every replica, no topic auto-creation) and a KafkaTap recording
 * everything on the topics it watches, on a client of its own.
 */
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
    await waitForCommitPast(this.kafka, groupId, { topic, partition, offset });
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
