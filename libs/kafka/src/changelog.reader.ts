import { randomUUID } from 'node:crypto';
import type { Consumer, ConsumerRunConfig, Kafka } from 'kafkajs';
import { ConsumerStallWatchdog } from './consumer-stall.watchdog';

export interface ChangelogHandlers {
  /** A record with a value; `key` is the record key. */
  upsert(key: string, value: Buffer): void;
  /** A tombstone. */
  remove(key: string): void;
}

/**
 * Reads a compacted topic from the beginning into memory and keeps following it. Every instance
 * reads the whole topic, so each uses a fresh consumer group and never commits.
 */
export class ChangelogReader {
  private consumer?: Consumer;
  private watchdog?: ConsumerStallWatchdog;
  private readyResolve!: () => void;
  /** Resolves once every record that existed at start-up has been applied. */
  readonly ready: Promise<void> = new Promise((resolve) => (this.readyResolve = resolve));

  constructor(
    private readonly kafka: Kafka,
    private readonly topic: string,
    private readonly groupPrefix: string,
    private readonly handlers: ChangelogHandlers,
  ) {}

  async start(): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    const offsets = await admin.fetchTopicOffsets(this.topic);
    await admin.disconnect();
    const pending = new Map<number, bigint>();
    for (const { partition, high, low } of offsets) {
      if (BigInt(high) > BigInt(low)) pending.set(partition, BigInt(high) - 1n);
    }
    if (pending.size === 0) this.readyResolve();

    const groupId = `${this.groupPrefix}-${randomUUID()}`;
    const consumer = this.kafka.consumer({
      groupId,
      maxWaitTimeInMs: 50,
      sessionTimeout: 30_000,
      retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 200, maxRetryTime: 5_000 },
    });
    this.consumer = consumer;
    const runConfig: ConsumerRunConfig = {
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        for (const message of batch.messages) {
          const key = message.key?.toString();
          if (key) {
            if (message.value === null || message.value.length === 0) this.handlers.remove(key);
            else this.handlers.upsert(key, message.value);
          }
          const target = pending.get(batch.partition);
          if (target !== undefined && BigInt(message.offset) >= target) {
            pending.delete(batch.partition);
            if (pending.size === 0) this.readyResolve();
          }
        }
        this.watchdog?.noteProgress(batch.topic, batch.partition, (BigInt(batch.lastOffset()) + 1n).toString());
      },
    };
    // A restart re-reads the topic from the beginning (nothing is committed); applying it again is idempotent.
    this.watchdog = new ConsumerStallWatchdog({
      kafka: this.kafka,
      consumer,
      groupId,
      useCommittedOffsets: false,
      fromBeginning: true,
      restart: async () => {
        await consumer.stop();
        await consumer.run(runConfig);
      },
    });
    await consumer.connect();
    await consumer.subscribe({ topic: this.topic, fromBeginning: true });
    await consumer.run(runConfig);
    this.watchdog.start();
  }

  async stop(): Promise<void> {
    await this.watchdog?.stop();
    await this.consumer?.disconnect();
    this.consumer = undefined;
  }
}
