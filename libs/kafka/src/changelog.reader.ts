import { randomUUID } from 'node:crypto';
import type { Admin, IHeaders, Kafka } from 'kafkajs';
import {
  type AppliedPositions,
  CatchUpWaiters,
  catchUpTargets,
  positionAfter,
  type PartitionWatermark,
} from './changelog-catch-up';
import { FreshReadCoalescer } from './fresh-read.coalescer';
import { SelfHealingConsumer } from './self-healing.consumer';

export interface ChangelogHandlers {
  /** A record with a value; `key` is the record key. */
  upsert(key: string, value: Buffer, headers: IHeaders): void;
  /** A tombstone. */
  remove(key: string, headers: IHeaders): void;
}

export interface CatchUpOptions {
  /** Bound on the whole catch-up, the high-watermark read included. */
  timeoutMs: number;
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
  /** Next offset to apply, per partition. */
  private readonly applied = new Map<number, bigint>();
  private readonly waiters = new CatchUpWaiters(this.applied);
  private readonly watermarks = new FreshReadCoalescer(() => this.readWatermarks());
  /** Kept connected between catch-ups: a connect per call would cost more than the read. */
  private admin?: Promise<Admin>;

  constructor(
    private readonly kafka: Kafka,
    private readonly topic: string,
    private readonly groupPrefix: string,
    private readonly handlers: ChangelogHandlers,
  ) {}

  /** Next offset to apply per partition; exposed for tests. */
  get positions(): AppliedPositions {
    return this.applied;
  }

  async start(): Promise<void> {
    const startTargets = catchUpTargets(await this.readWatermarks());
    void this.waiters.wait(startTargets).then((done) => {
      if (done) this.readyResolve();
    });

    // Each instance reads the whole topic in a group of its own; nothing is committed, so a recovery
    // re-reads from the beginning and applying the records again is idempotent.
    this.healing = new SelfHealingConsumer({
      kafka: this.kafka,
      config: {
        groupId: `${this.groupPrefix}-${randomUUID()}`,
        // Writers apply their own records locally, and readers that must see a change wait for it
        // through catchUp(), so a short wait would only poll the brokers many times a second when idle.
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
            if (!key) continue;
            const headers = message.headers ?? {};
            if (message.value === null || message.value.length === 0) this.handlers.remove(key, headers);
            else this.handlers.upsert(key, message.value, headers);
          }
          const next = positionAfter(batch.lastOffset());
          // A recovery reads from the beginning again; the position already reached stays.
          if (next > (this.applied.get(batch.partition) ?? -1n)) this.applied.set(batch.partition, next);
          this.waiters.notify();
          this.healing?.noteProgress(batch.topic, batch.partition, next.toString());
        },
      },
    });
    await this.healing.start();
  }

  /**
   * Resolves true once every record present in the topic when this was called is applied, false
   * when that takes longer than `timeoutMs` (or the high watermarks cannot be read in time).
   * Callers of the same tick share one high-watermark read, never one that started before they called.
   */
  async catchUp({ timeoutMs }: CatchUpOptions): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    let timer: NodeJS.Timeout | undefined;
    const watermarks = await Promise.race([
      this.watermarks.next().catch(() => undefined),
      new Promise<undefined>((resolve) => {
        timer = setTimeout(() => resolve(undefined), timeoutMs);
        timer.unref();
      }),
    ]);
    clearTimeout(timer);
    if (!watermarks) return false;
    return this.waiters.wait(catchUpTargets(watermarks), deadline - Date.now());
  }

  async stop(): Promise<void> {
    this.waiters.cancelAll();
    await this.healing?.stop();
    this.healing = undefined;
    const admin = this.admin;
    this.admin = undefined;
    await admin?.then((connected) => connected.disconnect()).catch(() => undefined);
  }

  private async readWatermarks(): Promise<PartitionWatermark[]> {
    this.admin ??= this.connectAdmin();
    const admin = this.admin;
    try {
      return await (await admin).fetchTopicOffsets(this.topic);
    } catch (error) {
      // Connect afresh next time rather than reuse a client that may be broken.
      if (this.admin === admin) this.admin = undefined;
      void admin.then((broken) => broken.disconnect()).catch(() => undefined);
      throw error;
    }
  }

  private async connectAdmin(): Promise<Admin> {
    const admin = this.kafka.admin();
    await admin.connect();
    return admin;
  }
}
