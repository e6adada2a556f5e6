/**
 * One FIFO delivery's place in its endpoint's order: the offset of its first appearance on its
 * `herald.deliveries` partition. Deliveries are keyed by endpoint id, so one endpoint's first
 * appearances share a partition and their offsets order them as the events were fanned out.
 */
export type FifoSeq = bigint;

/** What a lane remembers about an unresolved delivery that is not in flight. */
export interface FifoEntry {
  /** When its record is due back on `herald.deliveries`. */
  dueAt: number;
  /** True for the head whose retry is pending: every other delivery waits for it. */
  blocking: boolean;
}

export type FifoDecision =
  | { kind: 'attempt' }
  /** Another delivery of the endpoint is in flight here, or is due back any moment. */
  | { kind: 'wait' }
  /** Re-queue unchanged; the delivery ahead of it is due back at `after`. */
  | { kind: 'park'; after: number };

/**
 * Strict order for one FIFO endpoint; pure state, clock passed in.
 *
 * A delivery may be attempted only when no other delivery blocks the endpoint (a head whose retry is
 * pending) and no smaller seq is parked; otherwise it is parked (re-queued unattempted) until the
 * one ahead of it is due back. At most one delivery is in flight per lane, so a success is recorded
 * before its successor starts. Seqs the lane knows nothing about (never parked, or already resolved)
 * are attempted when their turn comes: a duplicate of a delivered seq is delivered again, which is
 * what at-least-once allows.
 *
 * Every change to an entry is noted so the caller can persist exactly the entries that changed in the
 * same produce as the records that caused them (`takeChanges`).
 */
export class FifoLane {
  private blocking: { seq: FifoSeq; dueAt: number } | null = null;
  private readonly parked = new Map<FifoSeq, number>();
  /** Smallest parked seq; undefined when it must be recomputed. */
  private firstParked: FifoSeq | null | undefined = null;
  private readonly changed = new Set<FifoSeq>();
  /** The seq attempted right now in this process (memory only). */
  inFlight: FifoSeq | null = null;

  /**
   * Whether `seq` may go now. Entries overdue by more than `lostAfterMs` are presumed lost (their
   * record will never come back) and dropped, so a lost record cannot hold the endpoint forever.
   */
  decide(seq: FifoSeq, now: number, lostAfterMs: number, mayWait = true): FifoDecision & { lost: FifoSeq[] } {
    const lost: FifoSeq[] = [];
    for (;;) {
      const ahead = this.ahead(seq);
      if (ahead && ahead.seq !== this.inFlight && now - ahead.dueAt > lostAfterMs) {
        lost.push(ahead.seq);
        this.resolved(ahead.seq);
        continue;
      }
      // The one ahead is not here and not due yet: come back just after it.
      if (ahead && ahead.seq !== this.inFlight && ahead.dueAt > now) {
        return { kind: 'park', after: ahead.dueAt, lost };
      }
      // Ahead is in flight or due back any moment, or another seq is in flight: a short wait in
      // memory beats a round trip through a retry tier.
      if (ahead || this.inFlight !== null) {
        return mayWait ? { kind: 'wait', lost } : { kind: 'park', after: now, lost };
      }
      return { kind: 'attempt', lost };
    }
  }

  attempting(seq: FifoSeq): void {
    this.inFlight = seq;
  }

  finished(seq: FifoSeq): void {
    if (this.inFlight === seq) this.inFlight = null;
  }

  /** Re-queued without an attempt (parked, circuit open, no slot): it keeps its place. */
  deferred(seq: FifoSeq, dueAt: number): void {
    if (this.blocking?.seq === seq) this.blocking.dueAt = dueAt;
    else this.setParked(seq, dueAt);
    this.changed.add(seq);
  }

  /** The attempt failed and a retry is scheduled: it now blocks the endpoint until it resolves. */
  retrying(seq: FifoSeq, dueAt: number): void {
    // Only the head is ever attempted, so another blocking seq means duplicated records; keep it
    // as parked rather than forget a delivery that is still on its way.
    if (this.blocking && this.blocking.seq !== seq) {
      this.setParked(this.blocking.seq, this.blocking.dueAt);
      this.changed.add(this.blocking.seq);
    }
    this.deleteParked(seq);
    this.blocking = { seq, dueAt };
    this.changed.add(seq);
  }

  /** Delivered, or dead-lettered: it no longer holds anyone back. */
  resolved(seq: FifoSeq): void {
    if (this.blocking?.seq === seq) {
      this.blocking = null;
      this.changed.add(seq);
    }
    if (this.deleteParked(seq)) this.changed.add(seq);
  }

  entry(seq: FifoSeq): FifoEntry | null {
    if (this.blocking?.seq === seq) return { dueAt: this.blocking.dueAt, blocking: true };
    const dueAt = this.parked.get(seq);
    return dueAt === undefined ? null : { dueAt, blocking: false };
  }

  /** Entries changed since the last call, with their state now (null: gone). */
  takeChanges(): Array<[FifoSeq, FifoEntry | null]> {
    const changes = [...this.changed].map((seq): [FifoSeq, FifoEntry | null] => [seq, this.entry(seq)]);
    this.changed.clear();
    return changes;
  }

  /** Marks entries changed again, after the write that carried them failed. */
  restoreChanges(seqs: Iterable<FifoSeq>): void {
    for (const seq of seqs) this.changed.add(seq);
  }

  /** Sets an entry as read back from the changelog; not a change to persist. */
  load(seq: FifoSeq, entry: FifoEntry | null): void {
    if (this.blocking?.seq === seq) this.blocking = null;
    this.deleteParked(seq);
    if (!entry) return;
    if (entry.blocking && (!this.blocking || seq < this.blocking.seq)) {
      if (this.blocking) this.setParked(this.blocking.seq, this.blocking.dueAt);
      this.blocking = { seq, dueAt: entry.dueAt };
    } else {
      this.setParked(seq, entry.dueAt);
    }
  }

  /** Every seq with an entry. */
  seqs(): FifoSeq[] {
    return [...(this.blocking ? [this.blocking.seq] : []), ...this.parked.keys()];
  }

  get size(): number {
    return this.parked.size + (this.blocking ? 1 : 0);
  }

  /** The entry `seq` must wait for: the blocking head (unless it is the head), else a smaller parked seq. */
  private ahead(seq: FifoSeq): { seq: FifoSeq; dueAt: number } | undefined {
    // The head goes first even before smaller parked seqs (duplicates of resolved ones): waiting
    // for them while they wait for the head would block the endpoint for good.
    if (this.blocking) return this.blocking.seq === seq ? undefined : this.blocking;
    const first = this.first();
    return first !== null && first < seq ? { seq: first, dueAt: this.parked.get(first)! } : undefined;
  }

  private first(): FifoSeq | null {
    if (this.firstParked === undefined) {
      let smallest: FifoSeq | null = null;
      for (const seq of this.parked.keys()) if (smallest === null || seq < smallest) smallest = seq;
      this.firstParked = smallest;
    }
    return this.firstParked;
  }

  private setParked(seq: FifoSeq, dueAt: number): void {
    this.parked.set(seq, dueAt);
    if (this.firstParked !== undefined && (this.firstParked === null || seq < this.firstParked)) {
      this.firstParked = seq;
    }
  }

  private deleteParked(seq: FifoSeq): boolean {
    if (!this.parked.delete(seq)) return false;
    if (this.firstParked === seq) this.firstParked = undefined;
    return true;
  }
}
