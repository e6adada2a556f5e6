import { randomUUID } from 'node:crypto';
import type { Admin, Kafka, KafkaMessage } from 'kafkajs';
import {
  advanceAfterFetch,
  isPartitionDone,
  passedOffsets,
  planPartitionRange,
  settleWithWatermarks,
  type PartitionProgress,
  type PartitionRange,
} from '@herald/jobs';

/** How often the watermarks are read again, for retention or truncation that no fetch reports. */
const WATERMARK_CHECK_MS = 2_000;

export interface RangeReadTotals {
  /** Offsets in the ranges, fixed at start from the watermarks. */
  total: number;
  /** Offsets retention deleted before the job read them. */
  lostToRetention: number;
  partitions: number;
}

export interface RangeReadHooks {
  signal: AbortSignal;
  /** Called once the ranges are planned, before anything is read. */
  onPlanned(totals: RangeReadTotals): Promise<void>;
  /** The readable records of one fetch that lie in the range; `passed` offsets were got through. */
  onRecords(messages: KafkaMessage[], passed: number): Promise<void>;
}

interface Tracked {
  range: PartitionRange;
  progress: PartitionProgress;
}

/**
 * Reads each partition of some topics from a start offset up to the watermarks captured at start, with
 * a throwaway consumer group, and returns once every partition is done or the signal fires. A partition
 * is done when the consumer's position reaches its end, whatever the last offsets hold (commit markers
 * and aborted records are never handed to eachBatch, so their fetches are followed through kafkajs's
 * batch events).
 */
export class TopicRangeReader {
  constructor(private readonly kafka: Kafka) {}

  async read(
    topics: string[],
    startFor: (admin: Admin, topic: string) => Promise<Map<number, bigint | null>>,
    hooks: RangeReadHooks,
  ): Promise<RangeReadTotals> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const tracked = await this.plan(admin, topics, startFor);
      const totals = summarise(tracked);
      await hooks.onPlanned(totals);
      const pending = [...tracked.values()].filter((t) => !isPartitionDone(t.range, t.progress));
      if (pending.length > 0 && !hooks.signal.aborted) await this.consume(admin, tracked, pending, hooks);
      return summarise(tracked);
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  private async plan(
    admin: Admin,
    topics: string[],
    startFor: (admin: Admin, topic: string) => Promise<Map<number, bigint | null>>,
  ): Promise<Map<string, Tracked>> {
    const tracked = new Map<string, Tracked>();
    for (const topic of topics) {
      const watermarks = await admin.fetchTopicOffsets(topic);
      const starts = await startFor(admin, topic);
      for (const { partition, low, high } of watermarks) {
        const planned = planPartitionRange({
          topic,
          partition,
          low: BigInt(low),
          high: BigInt(high),
          requestedStart: starts.get(partition) ?? null,
        });
        tracked.set(key(topic, partition), planned);
      }
    }
    return tracked;
  }

  private async consume(
    admin: Admin,
    tracked: Map<string, Tracked>,
    pending: Tracked[],
    hooks: RangeReadHooks,
  ): Promise<void> {
    const groupId = `herald-job-${randomUUID()}`;
    const consumer = this.kafka.consumer({ groupId, maxWaitTimeInMs: 100, allowAutoTopicCreation: false });
    let failed: Error | null = null;
    let wake!: () => void;
    const finished = new Promise<void>((resolve) => (wake = resolve));
    const allDone = () => [...tracked.values()].every((t) => isPartitionDone(t.range, t.progress));
    /** Moves a partition on; returns the offsets newly passed. */
    const move = (t: Tracked, next: PartitionProgress, range = t.range): number => {
      const before = passedOffsets(t.range, t.progress);
      t.range = range;
      t.progress = next;
      if (isPartitionDone(t.range, t.progress))
        consumer.pause([{ topic: t.range.topic, partitions: [t.range.partition] }]);
      if (allDone()) wake();
      return Number(passedOffsets(t.range, t.progress) - before);
    };
    const onAbort = () => wake();
    hooks.signal.addEventListener('abort', onAbort);
    await consumer.connect();
    try {
      consumer.on(consumer.events.CRASH, ({ payload }) => {
        failed = payload.error;
        wake();
      });
      // Fetches of only markers or aborted records reach no eachBatch, only this event (batchSize 0).
      consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
        const t = tracked.get(key(payload.topic, payload.partition));
        if (!t || payload.batchSize > 0 || payload.firstOffset === null || hooks.signal.aborted) return;
        const passed = move(
          t,
          advanceAfterFetch(t.range, t.progress, {
            firstOffset: BigInt(payload.firstOffset),
            lastOffset: BigInt(payload.lastOffset),
          }),
        );
        if (passed > 0) void hooks.onRecords([], passed).catch(() => undefined);
      });
      await consumer.subscribe({
        topics: [...new Set(pending.map((t) => t.range.topic))],
        fromBeginning: true,
      });
      await consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch, heartbeat }) => {
          const t = tracked.get(key(batch.topic, batch.partition));
          if (!t || isPartitionDone(t.range, t.progress) || hooks.signal.aborted) return;
          const inRange = batch.messages.filter((m) => {
            const offset = BigInt(m.offset);
            return offset >= t.progress.position && offset < t.range.end;
          });
          const first = batch.firstOffset();
          if (first === null) return;
          const next = advanceAfterFetch(t.range, t.progress, {
            firstOffset: BigInt(first),
            lastOffset: BigInt(batch.lastOffset()),
          });
          await hooks.onRecords(inRange, move(t, next));
          await heartbeat();
        },
      });
      for (const t of tracked.values()) {
        if (isPartitionDone(t.range, t.progress)) {
          consumer.pause([{ topic: t.range.topic, partitions: [t.range.partition] }]);
        } else {
          const { topic, partition } = t.range;
          consumer.seek({ topic, partition, offset: t.progress.position.toString() });
        }
      }
      const check = setInterval(
        () => void this.settle(admin, tracked, move, hooks).catch(() => undefined),
        WATERMARK_CHECK_MS,
      );
      try {
        if (!allDone()) await finished;
      } finally {
        clearInterval(check);
      }
      if (failed) throw failed;
    } finally {
      hooks.signal.removeEventListener('abort', onAbort);
      await consumer.disconnect().catch(() => undefined);
      await admin.deleteGroups([groupId]).catch(() => undefined); // a leftover empty group expires
    }
  }

  /** Reads the watermarks again: retention under the reader, or an empty fetch at the high watermark. */
  private async settle(
    admin: Admin,
    tracked: Map<string, Tracked>,
    move: (t: Tracked, next: PartitionProgress, range?: PartitionRange) => number,
    hooks: RangeReadHooks,
  ): Promise<void> {
    const open = [...tracked.values()].filter((t) => !isPartitionDone(t.range, t.progress));
    for (const topic of new Set(open.map((t) => t.range.topic))) {
      for (const { partition, low, high } of await admin.fetchTopicOffsets(topic)) {
        const t = tracked.get(key(topic, partition));
        if (!t || isPartitionDone(t.range, t.progress)) continue;
        const settled = settleWithWatermarks(t.range, t.progress, { low: BigInt(low), high: BigInt(high) });
        if (settled.progress === t.progress && settled.range === t.range) continue;
        const passed = move(t, settled.progress, settled.range);
        if (passed > 0) await hooks.onRecords([], passed);
      }
    }
  }
}

function summarise(tracked: Map<string, Tracked>): RangeReadTotals {
  let total = 0n;
  let lost = 0n;
  for (const t of tracked.values()) {
    total += t.range.end - t.range.start;
    lost += t.progress.lost;
  }
  return { total: Number(total), lostToRetention: Number(lost), partitions: tracked.size };
}

function key(topic: string, partition: number): string {
  return `${topic}:${partition}`;
}
