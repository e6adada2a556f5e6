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

export interface BatchProgressInput {
  firstOffset: string;
  lastOffset: string;
  highWatermark: string;
  outcome: BatchOutcome;
  /** Whether this partition was committed at least once by this consumer. */
  committedBefore: boolean;
}

/** What the transport does once a handler returned. */
export interface BatchProgressPlan {
  /** Offset to mark resolved in kafkajs, or null when none was finished. */
  resolve: string | null;
  /** First offset to read next. */
  next: string;
  /** Offset to commit (exclusive); written even when nothing was processed (see commitNow). */
  commit: string;
  /** Commit at once instead of joining the next periodic commit. */
  commitNow: boolean;
  /** Seek the partition to `next`: part of the batch (or earlier records) is read again. */
  seek: boolean;
  /** Pause the partition until then (epoch ms), after the seek. */
  pauseUntil?: number;
  /** Records behind `next` up to the high watermark. */
  lag: number;
}

/** Plans a partition's progress after one batch from the handler's outcome; no I/O. */
export function planBatchProgress(input: BatchProgressInput): BatchProgressPlan {
  const { outcome, lastOffset } = input;
  const rewindTo = outcome?.rewindTo;
  // A rewind discards whatever the handler reported as finished.
  const resolve =
    rewindTo !== undefined ? null : outcome === undefined ? lastOffset : outcome.processedThrough;
  const next = rewindTo ?? (resolve === null ? input.firstOffset : (BigInt(resolve) + 1n).toString());
  // Committing even when nothing was processed guards kafkajs #1599: a partition paused before its
  // first commit would never resume.
  const commit =
    outcome?.commitBefore !== undefined && BigInt(outcome.commitBefore) < BigInt(next)
      ? outcome.commitBefore
      : next;
  const seek = outcome !== undefined && (rewindTo !== undefined || resolve !== lastOffset);
  const pauseUntil = seek ? outcome?.resumeAt : undefined;
  return {
    resolve,
    next,
    commit,
    // kafkajs never fetches a partition again that was paused before the group committed it (#1599):
    // such a partition commits at once; the others join the next periodic commit.
    commitNow: pauseUntil !== undefined && !input.committedBefore,
    seek,
    pauseUntil,
    lag: Number(BigInt(input.highWatermark) - BigInt(next)),
  };
}

/** How long a partition paused until `resumeAt` (epoch ms) stays paused from `now`. */
export function resumeDelayMs(resumeAt: number, now: number): number {
  return Math.max(0, resumeAt - now);
}
