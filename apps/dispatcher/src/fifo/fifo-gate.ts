import { Logger } from '@nestjs/common';
import type { IHeaders } from 'kafkajs';
import { decodeFifoLaneRecord, fifoLaneRecord, type HeraldRecord, KafkaHeaders } from '@herald/contracts';
import {
  type FifoDecision,
  type FifoEntry,
  FifoLane,
  type FifoLaneChange,
  type FifoSeq,
} from '@herald/delivery';
import { readHeader, type OutgoingRecord } from '@herald/kafka';

export { FIFO_PARK_MARGIN_MS } from '@herald/delivery';

export interface FifoGateSettings {
  /** HERALD_FIFO_WAIT */
  waitMs: number;
  /** HERALD_FIFO_LOST_AFTER */
  lostAfterMs: number;
  /** This process's id on `herald.fifo` records, so it skips its own when reading the topic back. */
  writerId: string;
}

/** A `herald.deliveries` record as the dispatcher hands it over. */
export interface FifoRecord {
  offset: string;
  headers: IHeaders;
  /** Tells the batch it need not hold for this delivery any longer. */
  onDispatched?: () => void;
}

/** The gate's answer: go now (the lane holds it as in flight until `release`), or park until `after`. */
export type FifoAdmission = { kind: 'go'; seq: FifoSeq } | { kind: 'park'; seq: FifoSeq; after: number };

/** Deliveries one endpoint may hold waiting in memory; more are parked, so a backlog costs no memory. */
export const FIFO_MAX_WAITERS = 1_000;

type Settled = Exclude<FifoDecision, { kind: 'wait' }>;

interface Waiter {
  seq: FifoSeq;
  settle(decision: Settled): void;
}

interface LaneSlot {
  lane: FifoLane;
  /** Sorted by seq, so the smallest decides first when the lane frees up. */
  waiters: Waiter[];
}

/** The delivery's place: carried in a header once it has left its first offset. */
export function fifoSeqOf(record: Pick<FifoRecord, 'offset' | 'headers'>): FifoSeq {
  const carried = readHeader(record.headers, KafkaHeaders.fifoSeq);
  return carried !== undefined && /^\d{1,19}$/.test(carried) ? BigInt(carried) : BigInt(record.offset);
}

/**
 * Strict order for FIFO endpoints in this process. `admit` says whether a delivery may be attempted
 * now, after a short wait in memory behind its endpoint's attempt in flight, or must be parked; the
 * caller then reports how it ended with `change` and gets the `herald.fifo` records to write in the
 * same produce as the records that caused them, so a dispatcher taking over the partition sees both
 * or neither. The gate never writes a delivery's records and never calls back into its caller.
 */
export class FifoGate {
  private readonly log = new Logger(FifoGate.name);
  private readonly lanes = new Map<string, LaneSlot>();

  constructor(
    private readonly settings: FifoGateSettings,
    private readonly output: { write(records: OutgoingRecord[]): Promise<void> },
  ) {}

  /** Waits for the delivery's turn; a 'go' holds the lane until `release`. */
  async admit(endpointId: string, record: FifoRecord): Promise<FifoAdmission> {
    const slot = this.slotOf(endpointId);
    const seq = fifoSeqOf(record);
    let decision: FifoDecision = this.decide(endpointId, slot, seq, true);
    if (decision.kind === 'wait') {
      // Queued in order behind its predecessor, not competing for a slot: the partition may read on
      // (FIFO_MAX_WAITERS bounds what waits here).
      record.onDispatched?.();
      decision = await this.wait(endpointId, slot, seq);
    }
    if (decision.kind === 'park') return { kind: 'park', seq, after: decision.after };
    slot.lane.attempting(seq);
    return { kind: 'go', seq };
  }

  /**
   * Applies how a delivery ended to its lane and returns the lane records to write, with the seqs
   * they cover (given back through `restore` if that write fails).
   */
  change(
    endpointId: string,
    seq: FifoSeq,
    change: FifoLaneChange,
  ): { records: HeraldRecord[]; taken: FifoSeq[] } {
    const slot = this.lanes.get(endpointId);
    if (!slot) return { records: [], taken: [] };
    const { lane } = slot;
    if (change.kind === 'retrying') lane.retrying(seq, change.dueAt);
    else if (change.kind === 'deferred') lane.deferred(seq, change.dueAt);
    else lane.resolved(seq);
    const changes = lane.takeChanges();
    // A drop always tombstones its seq: an earlier write of its resolution may have failed.
    if (change.kind === 'dropped' && !changes.some(([changed]) => changed === seq)) changes.push([seq, null]);
    // Not in flight (parked or dropped): waiters behind it decide now rather than wait out their time.
    if (lane.inFlight !== seq) this.pump(endpointId, slot);
    return { records: this.records(endpointId, changes), taken: changes.map(([changed]) => changed) };
  }

  /** Marks lane changes whose write failed, so the next write of the lane carries them. */
  restore(endpointId: string, taken: FifoSeq[]): void {
    this.lanes.get(endpointId)?.lane.restoreChanges(taken);
  }

  /** The admitted delivery is done here (written, or failed to be): the next one may go. */
  release(endpointId: string, seq: FifoSeq): void {
    const slot = this.lanes.get(endpointId);
    if (!slot) return;
    slot.lane.finished(seq);
    this.pump(endpointId, slot);
  }

  /** Drops an endpoint's lane (deleted, or no longer FIFO) and tombstones its entries. */
  forget(endpointId: string): void {
    const slot = this.lanes.get(endpointId);
    if (!slot) return;
    this.lanes.delete(endpointId);
    // Waiting deliveries are re-queued: they come back to a deleted endpoint (dead-lettered) or to
    // one without order (sent at once), and never race each other here.
    for (const waiter of slot.waiters) waiter.settle({ kind: 'park', after: Date.now() });
    slot.waiters = [];
    const seqs = slot.lane.seqs();
    if (seqs.length === 0) return;
    this.output
      .write(
        this.records(
          endpointId,
          seqs.map((seq): [FifoSeq, null] => [seq, null]),
        ),
      )
      .catch((error: unknown) =>
        this.log.warn(`endpoint ${endpointId}: FIFO lane not cleared: ${(error as Error).message}`),
      );
  }

  /** Drops lanes whose endpoint is gone or no longer FIFO (changes made while this process was down). */
  sweep(endpointIsFifo: (endpointId: string) => boolean): void {
    for (const endpointId of [...this.lanes.keys()]) {
      if (!endpointIsFifo(endpointId)) this.forget(endpointId);
    }
  }

  /** One record of `herald.fifo`, as read back. Records this process wrote are skipped: its memory is newer. */
  applyChangelog(key: string, value: Buffer | null, writer: string | undefined): void {
    if (writer === this.settings.writerId) return;
    const decoded = decodeFifoLaneRecord(key, value);
    if (!decoded.ok) {
      this.log.error(`herald.fifo record ${key} ignored: ${decoded.reason}`);
      return;
    }
    const slot = decoded.entry ? this.slotOf(decoded.endpointId) : this.lanes.get(decoded.endpointId);
    slot?.lane.load(decoded.seq, decoded.entry);
  }

  /** Entries a lane holds (tests and diagnostics). */
  entries(endpointId: string): Array<[FifoSeq, FifoEntry]> {
    const lane = this.lanes.get(endpointId)?.lane;
    return lane ? lane.seqs().map((seq): [FifoSeq, FifoEntry] => [seq, lane.entry(seq)!]) : [];
  }

  private records(endpointId: string, changes: Array<[FifoSeq, FifoEntry | null]>): HeraldRecord[] {
    const writerId = this.settings.writerId;
    return changes.map(([seq, entry]) => fifoLaneRecord({ endpointId, seq, entry, writerId }));
  }

  private slotOf(endpointId: string): LaneSlot {
    let slot = this.lanes.get(endpointId);
    if (!slot) {
      slot = { lane: new FifoLane(), waiters: [] };
      this.lanes.set(endpointId, slot);
    }
    return slot;
  }

  private decide(endpointId: string, slot: LaneSlot, seq: FifoSeq, mayWait: boolean): FifoDecision {
    const decision = slot.lane.decide(seq, Date.now(), this.settings.lostAfterMs, mayWait);
    for (const lost of decision.lost) {
      this.log.warn(
        `endpoint ${endpointId}: FIFO delivery ${lost} overdue by more than HERALD_FIFO_LOST_AFTER; presumed lost, no longer waited for`,
      );
    }
    return decision;
  }

  private wait(endpointId: string, slot: LaneSlot, seq: FifoSeq): Promise<Settled> {
    if (slot.waiters.length >= FIFO_MAX_WAITERS) return Promise.resolve({ kind: 'park', after: Date.now() });
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        slot.waiters = slot.waiters.filter((other) => other !== waiter);
        resolve(this.decide(endpointId, slot, seq, false) as Settled);
      }, this.settings.waitMs);
      const waiter: Waiter = {
        seq,
        settle: (decision) => {
          clearTimeout(timer);
          resolve(decision);
        },
      };
      let index = slot.waiters.length;
      while (index > 0 && slot.waiters[index - 1].seq > seq) index -= 1;
      slot.waiters.splice(index, 0, waiter);
    });
  }

  /** Lets waiting deliveries decide again, smallest seq first, after the lane changed. */
  private pump(endpointId: string, slot: LaneSlot): void {
    if (slot.waiters.length === 0) return;
    const still: Waiter[] = [];
    for (const waiter of slot.waiters) {
      const decision = this.decide(endpointId, slot, waiter.seq, true);
      if (decision.kind === 'wait') {
        still.push(waiter);
        continue;
      }
      // Taken now, before the next waiter decides, so only one of them goes.
      if (decision.kind === 'attempt') slot.lane.attempting(waiter.seq);
      waiter.settle(decision);
    }
    slot.waiters = still;
  }
}
