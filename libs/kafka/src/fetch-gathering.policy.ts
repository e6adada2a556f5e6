/**
 * How long a consumer waits before its next fetch, after a batch of `batchBytes`.
 *
 * Fetches return as soon as one record is there (KAFKA_FETCH_MIN_BYTES 1), so a consumer that has
 * caught up gets each record at once. That is right while the process has time to spare, but a busy
 * one chasing a fast producer then handles many tiny batches, paying each batch's fixed cost (a fetch,
 * a produce, a commit) again and again. So while the event loop is busy and the batch was small, the
 * consumer waits a little, longer the busier it is, and the next fetch brings what arrived meanwhile.
 * A full batch (a backlog) or an idle process never waits. kafkajs reads its fetch minimum and wait
 * once, when the consumer starts, so the waiting is done here, between batches.
 */
export interface FetchGathering {
  /** A batch of at least this many bytes is full enough: fetch again at once. */
  bytes: number;
  /** Longest wait, at a fully busy event loop; 0 turns gathering off. */
  maxWaitMs: number;
  /** Event-loop utilisation (0-1) below which the consumer never waits. */
  busyAbove: number;
}

export function gatherDelayMs(
  batchBytes: number,
  loopUtilization: number,
  gathering: FetchGathering,
): number {
  if (gathering.maxWaitMs <= 0 || batchBytes >= gathering.bytes) return 0;
  if (loopUtilization <= gathering.busyAbove || gathering.busyAbove >= 1) return 0;
  const busy = Math.min(1, (loopUtilization - gathering.busyAbove) / (1 - gathering.busyAbove));
  return Math.round(gathering.maxWaitMs * busy);
}

/** Bytes of a batch's keys and values: what a fetch's byte minimum counts, near enough. */
export function batchBytes(messages: readonly { key?: Buffer | null; value: Buffer | null }[]): number {
  let total = 0;
  for (const message of messages) total += (message.key?.length ?? 0) + (message.value?.length ?? 0);
  return total;
}
