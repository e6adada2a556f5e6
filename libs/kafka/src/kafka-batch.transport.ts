import { Logger } from '@nestjs/common';
import { CustomTransportStrategy, Server } from '@nestjs/microservices';
import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import { lastValueFrom, isObservable } from 'rxjs';
import { recordPartitionLag, runAsService } from '@herald/telemetry';
import { planBatchProgress, resumeDelayMs, type BatchOutcome } from './batch-progress.plan';
import { CommitCoalescer, commitsAtOnce } from './commit-coalescing';
import { batchBytes, gatherDelayMs, type FetchGathering } from './fetch-gathering.policy';
import { LoopLoad } from './loop-load';
import { SelfHealingConsumer } from './self-healing.consumer';

export type { BatchOutcome } from './batch-progress.plan';

/** What a handler receives: one fetched batch of one partition. */
export interface IncomingBatch {
  topic: string;
  partition: number;
  messages: KafkaMessage[];
  highWatermark: string;
  /** Consumer group reading the batch (messaging.consumer.group.name on process spans). */
  groupId?: string;
  /** Keeps the group membership alive during long work. */
  heartbeat(): Promise<void>;
  /** False once shutdown or a rebalance began; stop early and report what was done. */
  isRunning(): boolean;
  /**
   * Commits this partition up to `offset` (exclusive) after the handler returned, for work that
   * finishes in the background. Best effort: a commit refused (say, while the group rebalances) is
   * dropped and resolves false, since the next owner reads from the last commit that went through.
   */
  commitLater(offset: string): Promise<boolean>;
  /** Reads this partition again from `offset`, for background work that failed after the handler returned. */
  rewindLater(offset: string): void;
}

export interface KafkaBatchTransportOptions {
  kafka: Kafka;
  groupId: string;
  /** Service owning the consumer (log lines and spans in handlers name it); default: the group id without `herald-`. */
  service?: string;
  /** Handler pattern -> topics. A pattern missing here subscribes to the topic of the same name. */
  topics?: Record<string, readonly string[]>;
  fromBeginning?: boolean;
  partitionsConsumedConcurrently?: number;
  /** Default: KAFKA_SESSION_TIMEOUT. */
  sessionTimeoutMs?: number;
  maxWaitTimeInMs?: number;
  /**
   * Offsets finished by handlers are committed together at most this often (0: after every batch).
   * Fewer commit requests under load; a crash re-reads at most this much work (at least once).
   */
  commitIntervalMs?: number;
  /** Bytes a fetch waits for (up to maxWaitTimeInMs) before it returns; default 1. */
  minBytes?: number;
  maxBytesPerPartition?: number;
  /** Waits between small batches while the process is busy (fetch-gathering.policy.ts); default off. */
  gathering?: FetchGathering;
}

/**
 * Nest custom transport over kafkajs: batch handlers, commits only after the handler returns (so only
 * durable work is committed), per-partition pause/resume, and a shutdown that lets in-flight batches
 * finish before leaving the group.
 */
export class KafkaBatchTransport extends Server implements CustomTransportStrategy {
  private readonly log = new Logger(KafkaBatchTransport.name);
  private healing?: SelfHealingConsumer;
  private readonly resumeTimers = new Map<string, NodeJS.Timeout>();
  private readonly topicToPattern = new Map<string, string>();
  private readonly commits = new CommitCoalescer();
  private commitTimer?: NodeJS.Timeout;
  private closing = false;
  private readonly load = new LoopLoad();

  constructor(private readonly options: KafkaBatchTransportOptions) {
    super();
  }

  private get service(): string {
    return this.options.service ?? this.options.groupId.replace(/^herald-/, '');
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      await this.start();
      callback();
    } catch (error) {
      callback(error);
    }
  }

  private async start(): Promise<void> {
    for (const pattern of this.messageHandlers.keys()) {
      for (const topic of this.options.topics?.[pattern] ?? [pattern])
        this.topicToPattern.set(topic, pattern);
    }
    if (this.topicToPattern.size === 0) return;
    const fromBeginning = this.options.fromBeginning ?? true;
    this.healing = new SelfHealingConsumer({
      kafka: this.options.kafka,
      config: {
        groupId: this.options.groupId,
        sessionTimeout: this.options.sessionTimeoutMs,
        heartbeatInterval: 3_000,
        maxWaitTimeInMs: this.options.maxWaitTimeInMs ?? 100,
        minBytes: this.options.minBytes ?? 1,
        maxBytesPerPartition: this.options.maxBytesPerPartition ?? 1_048_576,
        allowAutoTopicCreation: false,
        retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 200, maxRetryTime: 5_000 },
      },
      topics: [...this.topicToPattern.keys()],
      fromBeginning,
      run: {
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 4,
        eachBatch: (payload) => this.handleBatch(payload),
      },
      commits: true,
      isPaused: (topic, partition) => this.resumeTimers.has(`${topic}:${partition}`),
    });
    await this.healing.start();
  }

  private get consumer(): Consumer | undefined {
    try {
      return this.healing?.current;
    } catch {
      return undefined;
    }
  }

  private async handleBatch({
    batch,
    heartbeat,
    isRunning,
    isStale,
    resolveOffset,
  }: EachBatchPayload): Promise<void> {
    if (batch.messages.length === 0 || isStale()) return;
    const pattern = this.topicToPattern.get(batch.topic);
    // Patterns come from messageHandlers' own keys; getHandlerByPattern would JSON.parse (and throw on) each.
    const handler = pattern ? this.messageHandlers.get(pattern) : undefined;
    if (!handler) throw new Error(`no handler for topic ${batch.topic}`);
    const owner = this.consumer;
    const incoming: IncomingBatch = {
      topic: batch.topic,
      partition: batch.partition,
      messages: batch.messages,
      highWatermark: batch.highWatermark,
      groupId: this.options.groupId,
      heartbeat,
      isRunning: () => isRunning() && !isStale() && !this.closing,
      commitLater: (offset) => this.commitLater(owner, batch.topic, batch.partition, offset),
      rewindLater: (offset) => this.rewindLater(batch.topic, batch.partition, offset),
    };
    const result = await runAsService(this.service, () => handler(incoming));
    const outcome = (
      isObservable(result) ? await lastValueFrom(result, { defaultValue: undefined }) : result
    ) as BatchOutcome;
    const plan = planBatchProgress({
      firstOffset: batch.messages[0].offset,
      lastOffset: batch.messages[batch.messages.length - 1].offset,
      highWatermark: batch.highWatermark,
      outcome,
      committedBefore: this.commits.hasCommitted(batch.topic, batch.partition),
    });
    const consumer = this.consumer!;
    if (plan.resolve !== null) resolveOffset(plan.resolve);
    await this.commit(batch.topic, batch.partition, plan.commit, plan.commitNow);
    recordPartitionLag(this.options.groupId, batch.topic, batch.partition, plan.lag);
    this.healing?.noteProgress(batch.topic, batch.partition, plan.next);
    if (plan.seek) {
      consumer.seek({ topic: batch.topic, partition: batch.partition, offset: plan.next });
      if (plan.pauseUntil !== undefined) this.pauseUntil(batch.topic, batch.partition, plan.pauseUntil);
    }
    // kafkajs fetches again once every batch of its last fetch has returned: waiting here gathers.
    await this.gather(batch.messages);
  }

  private gather(messages: KafkaMessage[]): Promise<void> {
    const gathering = this.options.gathering;
    if (!gathering || this.closing) return Promise.resolve();
    const delay = gatherDelayMs(batchBytes(messages), this.load.utilization(), gathering);
    // At most the gathering's maxWaitMs (100 ms at most), which shutdown may wait out.
    return delay > 0 ? new Promise((resolve) => setTimeout(resolve, delay)) : Promise.resolve();
  }

  private async commitLater(
    owner: Consumer | undefined,
    topic: string,
    partition: number,
    offset: string,
  ): Promise<boolean> {
    // A consumer replaced since the batch (the watchdog's restart) has left the group: the new one
    // reads from the last commit, and a late commit for the old one could move it backwards.
    if (!this.consumer || this.consumer !== owner || this.closing) return false;
    try {
      await this.commit(topic, partition, offset, false);
      return true;
    } catch (error) {
      this.log.warn(
        `background commit of ${topic}:${partition}@${offset} dropped: ${(error as Error).message}`,
      );
      return false;
    }
  }

  private rewindLater(topic: string, partition: number, offset: string): void {
    const consumer = this.consumer;
    if (!consumer || this.closing) return;
    try {
      consumer.seek({ topic, partition, offset });
    } catch (error) {
      // Not assigned any more (rebalance): the new owner reads from the last commit, which is below it.
      this.log.debug(`rewind of ${topic}:${partition} to ${offset} dropped: ${(error as Error).message}`);
    }
  }

  private async commit(topic: string, partition: number, offset: string, now: boolean): Promise<void> {
    const interval = this.options.commitIntervalMs ?? 0;
    if (commitsAtOnce({ forced: now, intervalMs: interval, closing: this.closing })) {
      this.commits.drop(topic, partition);
      const entry = { topic, partition, offset };
      await this.consumer!.commitOffsets([entry]);
      this.commits.markCommitted([entry]);
      return;
    }
    this.commits.hold({ topic, partition, offset });
    this.commitTimer ??= setTimeout(() => {
      this.commitTimer = undefined;
      void this.flushCommits().catch((error: unknown) =>
        this.log.warn(
          `periodic commit failed, offsets are committed again next time: ${(error as Error).message}`,
        ),
      );
    }, interval);
  }

  /** Commits every partition's latest finished offset in one request. */
  private async flushCommits(): Promise<void> {
    const consumer = this.consumer;
    if (!consumer || this.commits.size === 0) return;
    const offsets = this.commits.take();
    try {
      await consumer.commitOffsets(offsets);
      this.commits.markCommitted(offsets);
    } catch (error) {
      // Kept for the next round.
      this.commits.restore(offsets);
      throw error;
    }
  }

  /** Pauses one partition until `resumeAt` (epoch ms). */
  private pauseUntil(topic: string, partition: number, resumeAt: number): void {
    const consumer = this.consumer;
    if (!consumer || this.closing) return;
    const key = `${topic}:${partition}`;
    consumer.pause([{ topic, partitions: [partition] }]);
    clearTimeout(this.resumeTimers.get(key));
    const timer = setTimeout(
      () => {
        this.resumeTimers.delete(key);
        if (this.closing) return;
        try {
          consumer.resume([{ topic, partitions: [partition] }]);
        } catch (error) {
          // pause/resume throw when the consumer is not running (e.g. mid-rebalance); the partition's
          // assignment is reset on rejoin, so nothing stays paused.
          this.log.warn(`resume of ${key} failed: ${(error as Error).message}`);
        }
      },
      resumeDelayMs(resumeAt, Date.now()),
    );
    timer.unref();
    this.resumeTimers.set(key, timer);
  }

  async close(): Promise<void> {
    this.closing = true;
    for (const timer of this.resumeTimers.values()) clearTimeout(timer);
    this.resumeTimers.clear();
    clearTimeout(this.commitTimer);
    this.commitTimer = undefined;
    await this.flushCommits().catch((error: unknown) =>
      this.log.warn(
        `final commit failed; the next owner re-reads from the last commit: ${(error as Error).message}`,
      ),
    );
    // disconnect() waits for the batch in flight, whose offsets are then committed.
    await this.healing?.stop();
    this.healing = undefined;
  }

  on(): never {
    throw new Error('KafkaBatchTransport does not emit events');
  }

  unwrap<T>(): T {
    if (!this.consumer) throw new Error('not listening');
    return this.consumer as T;
  }
}
