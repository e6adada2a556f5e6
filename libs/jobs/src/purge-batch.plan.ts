/**
 * How a purge job walks the deliveries it erases: keyset pages of (created_at, delivery_id), oldest
 * first, one short transaction per page, so no statement holds many row locks for long (the projector
 * writes the same rows) and a time-partitioned table is read one partition range at a time. Nothing
 * here does I/O.
 */
export interface PurgeCursor {
  createdAt: Date;
  deliveryId: string;
}

export interface PurgeProgress {
  /** Where the last page ended; null before the first. */
  cursor: PurgeCursor | null;
  /** Rows the last page returned; null before the first. */
  lastPageRows: number | null;
  /** The job was asked to stop (cancel, deadline, shutdown). */
  stopRequested: boolean;
}

export type PurgeStep = { done: true } | { done: false; after: PurgeCursor | null; limit: number };

export const DEFAULT_PURGE_BATCH = 1000;

/** The next page to erase, or done: after a short page (the last one), or when asked to stop. */
export function planPurgeBatch(progress: PurgeProgress, batchSize = DEFAULT_PURGE_BATCH): PurgeStep {
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new RangeError('batchSize must be a positive integer');
  if (progress.stopRequested) return { done: true };
  if (progress.lastPageRows === null) return { done: false, after: null, limit: batchSize };
  if (progress.lastPageRows < batchSize || progress.cursor === null) return { done: true };
  return { done: false, after: progress.cursor, limit: batchSize };
}

/** Counts a purge reports; each batch's are added to the running total. */
export interface PurgeCounts {
  deliveries: number;
  attempts: number;
  bytes: number;
}

export function addPurgeCounts(a: PurgeCounts, b: PurgeCounts): PurgeCounts {
  return {
    deliveries: a.deliveries + b.deliveries,
    attempts: a.attempts + b.attempts,
    bytes: a.bytes + b.bytes,
  };
}
