/**
 * What part of one partition a topic-scanning job reads, and when it is done with it. Offsets are
 * bigint; nothing here does I/O.
 *
 * The end is fixed when the job starts: the partition's high watermark as a read-committed reader sees
 * it. It may lie past the last readable message (a transaction's commit marker, aborted records), so a
 * partition is done when the reader's position, the offset after everything fetched including those
 * records, reaches the end, never by waiting for a message at end - 1.
 */
export interface PartitionWatermarks {
  topic: string;
  partition: number;
  low: bigint;
  high: bigint;
  /** The offset the job wants to start at (e.g. the first at or after a time); null: none there. */
  requestedStart: bigint | null;
}

export interface PartitionRange {
  topic: string;
  partition: number;
  /** Where reading starts: the requested start, or the low watermark if retention removed it. */
  start: bigint;
  /** The job reads up to, not including, this offset. */
  end: bigint;
}

export interface PartitionProgress {
  /** The offset after everything this job has got through. */
  position: bigint;
  /** Offsets of the range that retention deleted before the job could read them. */
  lost: bigint;
}

export interface PlannedPartition {
  range: PartitionRange;
  progress: PartitionProgress;
}

/**
 * The range of one partition, with what retention already took from it. An empty partition, or one
 * with nothing at or after the requested start, has an empty range (start == end): done from the start.
 */
export function planPartitionRange(w: PartitionWatermarks): PlannedPartition {
  const end = w.high;
  const requested = w.requestedStart === null || w.requestedStart > end ? end : w.requestedStart;
  const start = requested < w.low ? min(w.low, end) : requested;
  return {
    range: { topic: w.topic, partition: w.partition, start, end },
    progress: { position: start, lost: start - requested },
  };
}

export function isPartitionDone(range: PartitionRange, progress: PartitionProgress): boolean {
  return progress.position >= range.end;
}

/** Offsets the job has passed in this partition: read, skipped markers and lost to retention. */
export function passedOffsets(range: PartitionRange, progress: PartitionProgress): bigint {
  return min(progress.position, range.end) - range.start;
}

/**
 * After a fetch covering [firstOffset, lastOffset] (every record in it, control records included). A
 * gap before firstOffset is what retention deleted under the reader (the domain topics are never
 * compacted); a fetch the reader already passed changes nothing, so reporting one twice is harmless.
 */
export function advanceAfterFetch(
  range: PartitionRange,
  progress: PartitionProgress,
  fetched: { firstOffset: bigint; lastOffset: bigint },
): PartitionProgress {
  const next = min(fetched.lastOffset + 1n, range.end);
  if (next <= progress.position) return progress;
  const first = min(fetched.firstOffset, range.end);
  const gap = first > progress.position ? first - progress.position : 0n;
  return { position: next, lost: progress.lost + gap };
}

/**
 * After reading the partition's watermarks again while the job runs. Retention past the position
 * loses what lay between (up to the end); a high watermark at or below the position (the log was
 * truncated) means no fetch will bring the offsets past it, so the range ends there (or where the
 * reader already is).
 */
export function settleWithWatermarks(
  range: PartitionRange,
  progress: PartitionProgress,
  now: { low: bigint; high: bigint },
): { range: PartitionRange; progress: PartitionProgress } {
  let { position, lost } = progress;
  if (now.low > position && position < range.end) {
    const to = min(now.low, range.end);
    lost += to - position;
    position = to;
  }
  const end = now.high < range.end ? (now.high > position ? now.high : position) : range.end;
  return { range: end === range.end ? range : { ...range, end }, progress: { position, lost } };
}

function min(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}
