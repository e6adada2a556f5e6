import { Logger } from '@nestjs/common';
import { CustomTransportStrategy, Server } from '@nestjs/microservices';
import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import { lastValueFrom, isObservable } from 'rxjs';
import { recordPartitionLag, runAsService } from '@herald/telemetry';
import { SelfHealingConsumer } from './self-healing.consumer';

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
   * finishes in the background. Best effort: a commit refused after a rebalance is dropped, since the
   * new owner reads from the last commit that went through.
   */
  commitLater(offset: string): Promise<void>;
  /** Reads this partition again from `offset`, for background work that failed after the handler returned. */
  rewindLater(offset: string): void;
}

/**
 * A handler returns nothing when it made every message durable. Otherwise it names the last offset
 * it finished (or null) and, optionally, when the rest becomes due: the partition is then paused and
 * the first unfinished record is read again at that time, without sleeping in the handler.
 */
export type BatchOutcome = void | {
  processedThrough: string | null;
  resumeAt?: number;
  /**
   * Commit no further than this offset (exclusive) even though reading goes on after
   * processedThrough: for work that outlives its batch (the dispatcher's slow attempts), so a
   * restart reads that work again.
   */
  commitBefore?: string;
  /** Read again from this offset (below or inside the batch), e.g. work whose results failed to be written. */
  rewindTo?: string;
};

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
  private readonly pendingCommits = new Map<string, { topic: string; partition: number; offset: string }>();
  /** Partitions this transport committed at least once: pausing them is safe from kafkajs #1599. */
  private readonly committedOnce = new Set<string>();
  private commitTimer?: NodeJS.Timeout;
  private closing = false;

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
    const incoming: IncomingBatch = {
      topic: batch.topic,
      partition: batch.partition,
      messages: batch.messages,
      highWatermark: batch.highWatermark,
      groupId: this.options.groupId,
      heartbeat,
      isRunning: () => isRunning() && !isStale() && !this.closing,
      commitLater: (offset) => this.commitLater(batch.topic, batch.partition, offset),
      rewindLater: (offset) => this.rewindLater(batch.topic, batch.partition, offset),
    };
    const result = await runAsService(this.service, () => handler(incoming));
    const outcome = (
      isObservable(result) ? await lastValueFrom(result, { defaultValue: undefined }) : result
    ) as BatchOutcome;
    const last = batch.messages[batch.messages.length - 1].offset;
    const rewindTo = outcome?.rewindTo;
    const processedThrough =
      rewindTo !== undefined ? null : outcome === undefined ? last : outcome.processedThrough;
    const consumer = this.consumer!;
    if (processedThrough !== null) {
      resolveOffset(processedThrough);
    }
    const next =
      rewindTo ??
      (processedThrough === null ? batch.messages[0].offset : (BigInt(processedThrough) + 1n).toString());
    // Committing even when nothing was processed guards kafkajs #1599: a partition paused before its
    // first commit would never resume.
    const commit =
      outcome?.commitBefore !== undefined && BigInt(outcome.commitBefore) < BigInt(next)
        ? outcome.commitBefore
        : next;
    const seeking = outcome !== undefined && (rewindTo !== undefined || processedThrough !== last);
    const pausing = seeking && outcome?.resumeAt !== undefined;
    // kafkajs never fetches a partition again that was paused before the group committed it (#1599):
    // such a partition commits at once; the others join the next periodic commit.
    const key = `${batch.topic}:${batch.partition}`;
    await this.commit(batch.topic, batch.partition, commit, pausing && !this.committedOnce.has(key));
    recordPartitionLag(
      this.options.groupId,
      batch.topic,
      batch.partition,
      Number(BigInt(batch.highWatermark) - BigInt(next)),
    );
    this.healing?.noteProgress(batch.topic, batch.partition, next);
    if (seeking) {
      consumer.seek({ topic: batch.topic, partition: batch.partition, offset: next });
      if (outcome.resumeAt !== undefined) this.pauseUntil(batch.topic, batch.partition, outcome.resumeAt);
    }
  }

  private async commitLater(topic: string, partition: number, offset: string): Promise<void> {
    if (!this.consumer || this.closing) return;
    try {
      await this.commit(topic, partition, offset, false);
    } catch (error) {
      this.log.debug(
        `background commit of ${topic}:${partition}@${offset} dropped: ${(error as Error).message}`,
      );
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
    const key = `${topic}:${partition}`;
    const interval = this.options.commitIntervalMs ?? 0;
    if (now || interval <= 0 || this.closing) {
      this.pendingCommits.delete(key);
      await this.consumer!.commitOffsets([{ topic, partition, offset }]);
      this.committedOnce.add(key);
      return;
    }
    this.pendingCommits.set(key, { topic, partition, offset });
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
    if (!consumer || this.pendingCommits.size === 0) return;
    const offsets = [...this.pendingCommits.values()];
    this.pendingCommits.clear();
    try {
      await consumer.commitOffsets(offsets);
      for (const entry of offsets) this.committedOnce.add(`${entry.topic}:${entry.partition}`);
    } catch (error) {
      // Keep them for the next round unless a newer offset of the same partition arrived meanwhile.
      for (const entry of offsets) {
        const key = `${entry.topic}:${entry.partition}`;
        if (!this.pendingCommits.has(key)) this.pendingCommits.set(key, entry);
      }
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
      Math.max(0, resumeAt - Date.now()),
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
