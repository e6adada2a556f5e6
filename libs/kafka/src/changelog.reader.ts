import { randomUUID } from 'node:crypto';
import type { IHeaders, Kafka } from 'kafkajs';
import { SelfHealingConsumer } from './self-healing.consumer';

export interface ChangelogHandlers {
  /** A record with a value; `key` is the record key. */
  upsert(key: string, value: Buffer, headers: IHeaders): void;
  /** A tombstone. */
  remove(key: string, headers: IHeaders): void;
}

/**
 * Reads a compacted topic from the beginning into memory and keeps following it. Every instance
 * reads the whole topic, so each uses a fresh consumer group and never commits.
 */
export class ChangelogReader {
  private healing?: SelfHealingConsumer;
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

    // Each instance reads the whole topic in a group of its own; nothing is committed, so a recovery
    // re-reads from the beginning and applying the records again is idempotent.
    this.healing = new SelfHealingConsumer({
      kafka: this.kafka,
      config: {
        groupId: `${this.groupPrefix}-${randomUUID()}`,
        // Writers apply their own records locally, so a change reaching other instances a little later
        // costs nothing, while a short wait would poll the brokers many times a second when idle.
        maxWaitTimeInMs: 250,
        retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 200, maxRetryTime: 5_000 },
      },
      topics: [this.topic],
      fromBeginning: true,
      commits: false,
      run: {
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          for (const message of batch.messages) {
            const key = message.key?.toString();
            if (key) {
              const headers = message.headers ?? {};
              if (message.value === null || message.value.length === 0) this.handlers.remove(key, headers);
              else this.handlers.upsert(key, message.value, headers);
            }
            const target = pending.get(batch.partition);
            if (target !== undefined && BigInt(message.offset) >= target) {
              pending.delete(batch.partition);
              if (pending.size === 0) this.readyResolve();
            }
          }
          this.healing?.noteProgress(
            batch.topic,
            batch.partition,
            (BigInt(batch.lastOffset()) + 1n).toString(),
          );
        },
      },
    });
    await this.healing.start();
  }

  async stop(): Promise<void> {
    await this.healing?.stop();
    this.healing = undefined;
  }
}
