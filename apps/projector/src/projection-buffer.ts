import type { BatchOutcome, IncomingBatch } from '@herald/kafka';
import type { ProjectedRecord } from './usecases/project-records/project-records.usecase';

export interface ProjectionBufferOptions {
  /** A partition's records are written at once when this many are waiting. */
  maxRecords: number;
  /** ...or when the oldest has waited this long (0: every batch is written as it comes). */
  maxWaitMs: number;
  /** Writes one partition's records; rejects when nothing was written. */
  write(topic: string, partition: number, records: ProjectedRecord[]): Promise<void>;
  /** Told about a failed write; its records are read again after `retryAfterMs`. */
  onWriteFailure?(topic: string, partition: number, error: unknown): void;
  retryAfterMs?: number;
}

interface Pending {
  records: ProjectedRecord[];
  firstOffset: string;
  timer?: NodeJS.Timeout;
  batch: IncomingBatch;
}

/**
 * Gathers each partition's records across fetches, so Postgres gets fewer, larger transactions
 * without pausing the consumer (a paused partition waits a whole fetch cycle to resume, and a broker
 * may hand out one producer batch per fetch, often a few records). Offsets stay uncommitted until
 * their records are written: a crash or a failed write reads them again, and every write is an
 * idempotent upsert.
 */
export class ProjectionBuffer {
  private readonly pending = new Map<string, Pending>();
  /** A background write in progress per partition: the next batch of that partition waits for it. */
  private readonly writing = new Map<string, Promise<void>>();
  /** Partitions whose background write failed: where they must be read again from. */
  private readonly failedAt = new Map<string, string>();

  constructor(private readonly options: ProjectionBufferOptions) {}

  /** Takes one fetched batch; writes now or leaves it waiting, and says what may be committed. */
  async add(batch: IncomingBatch): Promise<BatchOutcome> {
    if (batch.messages.length === 0) return undefined;
    const key = `${batch.topic}:${batch.partition}`;
    await this.writing.get(key);
    const failedAt = this.failedAt.get(key);
    if (failedAt !== undefined) {
      // Batches fetched before the rewind took effect are skipped until the failed records come again.
      if (BigInt(batch.messages[0].offset) > BigInt(failedAt)) return this.readAgainFrom(failedAt);
      this.failedAt.delete(key);
    }
    let pending = this.pending.get(key);
    if (!pending) {
      pending = { records: [], firstOffset: batch.messages[0].offset, batch };
      this.pending.set(key, pending);
    }
    pending.batch = batch;
    for (const message of batch.messages) pending.records.push(message);
    if (pending.records.length >= this.options.maxRecords || this.options.maxWaitMs <= 0) {
      this.take(key, pending);
      try {
        await this.options.write(batch.topic, batch.partition, pending.records);
      } catch (error) {
        // Earlier fetches' records were already passed over: read from the first one that waited.
        this.options.onWriteFailure?.(batch.topic, batch.partition, error);
        return this.readAgainFrom(pending.firstOffset);
      }
      return undefined;
    }
    pending.timer ??= setTimeout(() => this.writeInBackground(key), this.options.maxWaitMs);
    return {
      processedThrough: batch.messages[batch.messages.length - 1].offset,
      commitBefore: pending.firstOffset,
    };
  }

  /** Records waiting to be written, over all partitions. */
  get size(): number {
    let size = 0;
    for (const pending of this.pending.values()) size += pending.records.length;
    return size;
  }

  /** Drops what waits without writing it (shutdown): it was never committed, so it is read again. */
  clear(): void {
    for (const pending of this.pending.values()) clearTimeout(pending.timer);
    this.pending.clear();
  }

  private readAgainFrom(offset: string): BatchOutcome {
    return {
      processedThrough: null,
      rewindTo: offset,
      resumeAt: Date.now() + (this.options.retryAfterMs ?? 1_000),
    };
  }

  private take(key: string, pending: Pending): void {
    clearTimeout(pending.timer);
    this.pending.delete(key);
  }

  private writeInBackground(key: string): void {
    const pending = this.pending.get(key);
    if (!pending) return;
    this.take(key, pending);
    const { batch, records, firstOffset } = pending;
    const next = (BigInt(records[records.length - 1].offset) + 1n).toString();
    const done = this.options
      .write(batch.topic, batch.partition, records)
      .then(
        () => batch.commitLater(next),
        (error: unknown) => {
          this.options.onWriteFailure?.(batch.topic, batch.partition, error);
          this.failedAt.set(key, firstOffset);
          batch.rewindLater(firstOffset);
        },
      )
      .finally(() => {
        if (this.writing.get(key) === done) this.writing.delete(key);
      });
    this.writing.set(key, done);
  }
}
