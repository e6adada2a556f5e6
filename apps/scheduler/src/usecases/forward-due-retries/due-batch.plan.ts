export interface PlannedRecord {
  offset: string;
  dueAt: number;
}

export interface DueBatchPlan {
  /** Indexes of the records to forward now, in offset order. */
  forwardNow: number[];
  /**
   * The last offset of the contiguous run, from the batch start, of records that are forwarded once
   * `forwardNow` succeeds (or were forwarded before); null when the first record still waits.
   */
  processedThrough: string | null;
  /** True when every record of the batch is then forwarded. */
  complete: boolean;
  /** Earliest due time among records still waiting; undefined when none wait. */
  resumeAt?: number;
  /** Records of the batch still waiting for their due time. */
  waiting: number;
}

/**
 * Decides what one fetched batch of a tier partition does now.
 *
 * Jitter (±20 %) means records in a tier partition are not strictly in due order, so waiting only on
 * the head would hold back records behind it that are already due. Instead every due record of the
 * batch is forwarded now. Kafka can only commit a prefix, so the commit covers the contiguous run of
 * forwarded records; records forwarded beyond that run are remembered in memory (`alreadyForwarded`)
 * so that re-reading them after the pause does not send them twice. A crash loses that memory and
 * resends them: at-least-once allows it, and `webhook-id` lets receivers drop the copy.
 *
 * Limit of this design: only records inside one fetch (HERALD_SCHEDULER_LOOKAHEAD_BYTES) can overtake
 * a waiting head, and records appended while the partition is paused are seen at the next rescan
 * (the tier's rescan time, RetryTiers). A due record further back than one fetch waits until the head
 * is due: at most the jitter spread (40 % of the tier delay). The librdkafka mock cluster returns
 * one producer batch per fetch, so the tests see that bound more often than a real broker would.
 */
export function planDueBatch(
  records: readonly PlannedRecord[],
  alreadyForwarded: (offset: string) => boolean,
  now: number,
  earlyMarginMs = 0,
): DueBatchPlan {
  const forwardNow: number[] = [];
  let processedThrough: string | null = null;
  let prefixOpen = true;
  let resumeAt: number | undefined;
  let waiting = 0;
  records.forEach((record, index) => {
    let done: boolean;
    if (alreadyForwarded(record.offset)) {
      done = true;
    } else if (record.dueAt <= now + earlyMarginMs) {
      forwardNow.push(index);
      done = true;
    } else {
      done = false;
      waiting += 1;
      resumeAt = resumeAt === undefined ? record.dueAt : Math.min(resumeAt, record.dueAt);
    }
    if (!done) prefixOpen = false;
    else if (prefixOpen) processedThrough = record.offset;
  });
  return { forwardNow, processedThrough, complete: waiting === 0, resumeAt, waiting };
}
