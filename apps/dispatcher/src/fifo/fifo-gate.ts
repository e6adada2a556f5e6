import { Logger } from '@nestjs/common';
import type { IHeaders } from 'kafkajs';
import { KafkaHeaders, Topics } from '@herald/contracts';
import { type FifoDecision, type FifoEntry, FifoLane, type FifoSeq } from '@herald/delivery';
import { readHeader, type OutgoingRecord } from '@herald/kafka';
import { tierCovering, tierTopic } from '@herald/retry';
import { heraldMetrics } from '@herald/telemetry';

export interface FifoGateSettings {
  /** HERALD_FIFO_WAIT */
  waitMs: number;
  /** HERALD_FIFO_LOST_AFTER */
  lostAfterMs: number;
  /** Retry tier delays (HERALD_RETRY_TIERS), where parked records wait. */
  tiersMs: readonly number[];
  /** This process's id on `herald.fifo` records, so it skips its own when reading the topic back. */
  writerId: string;
}

/** A `herald.deliveries` record as the dispatcher hands it over. */
export interface FifoRecord {
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: IHeaders;
  /** Tells the batch it need not hold for this delivery any longer. */
  onDispatched?: () => void;
}

/**
 * Parked records are due this long after the delivery ahead of them, so that one is back (and
 * usually done) first: the scheduler's lateness is well under a second at p99.
 */
export const FIFO_PARK_MARGIN_MS = 1_000;
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

/** `herald.fifo` key of one lane entry; the seq follows the last slash (endpoint ids never end in one). */
export function fifoEntryKey(endpointId: string, seq: FifoSeq): string {
  return `${endpointId}/${seq}`;
}

/**
 * Strict order for FIFO endpoints in this process: decides whether a delivery may be attempted, makes
 * it wait briefly in memory behind its endpoint's attempt in flight, or parks it (re-queues it
 * unchanged on the retry tier covering the time until the delivery ahead of it is due back). Lane
 * changes are returned as `herald.fifo` records for the caller to write in the same produce as the
 * records that caused them, so a dispatcher taking over the partition sees both or neither.
 */
export class FifoGate {
  private readonly log = new Logger(FifoGate.name);
  private readonly lanes = new Map<string, LaneSlot>();

  constructor(
    private readonly settings: FifoGateSettings,
    private readonly output: { write(records: OutgoingRecord[]): Promise<void> },
  ) {}

  /**
   * Runs `send` once the delivery's turn has come, with a ticket to report how it ended; resolves
   * 'deferred' when it was parked instead. Rejects when a write failed, so the record is read again.
   */
  async run<T>(
    endpointId: string,
    record: FifoRecord,
    send: (ticket: FifoTicket) => Promise<T>,
  ): Promise<T | 'deferred'> {
    const slot = this.slotOf(endpointId);
    const seq = fifoSeqOf(record);
    let decision: FifoDecision = this.decide(endpointId, slot, seq, true);
    if (decision.kind === 'wait') {
      // Queued in order behind its predecessor, not competing for a slot: the partition may read on
      // (FIFO_MAX_WAITERS bounds what waits here).
      record.onDispatched?.();
      decision = await this.wait(endpointId, slot, seq);
    }
    if (decision.kind === 'park') {
      await this.park(endpointId, slot, record, seq, decision.after);
      return 'deferred';
    }
    slot.lane.attempting(seq);
    const ticket = new FifoTicket(this, endpointId, slot.lane, seq);
    try {
      return await send(ticket);
    } catch (error) {
      // The write carrying these entries failed: the next write of the lane carries them instead.
      slot.lane.restoreChanges(ticket.taken);
      throw error;
    } finally {
      slot.lane.finished(seq);
      this.pump(endpointId, slot);
    }
  }

  /** A dead-lettered delivery (endpoint disabled) no longer holds its place. */
  dropped(endpointId: string, record: Pick<FifoRecord, 'offset' | 'headers'>): OutgoingRecord[] {
    const slot = this.lanes.get(endpointId);
    if (!slot) return [];
    const seq = fifoSeqOf(record);
    slot.lane.resolved(seq);
    const changes = slot.lane.takeChanges();
    // Always a tombstone for this seq: an earlier write of its resolution may have failed.
    if (!changes.some(([changed]) => changed === seq)) changes.push([seq, null]);
    this.pump(endpointId, slot);
    return this.records(endpointId, changes);
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
    const slash = key.lastIndexOf('/');
    const seqText = key.slice(slash + 1);
    if (slash <= 0 || !/^\d{1,19}$/.test(seqText)) {
      this.log.error(`herald.fifo record with key "${key}" is not <endpoint>/<seq>; ignored`);
      return;
    }
    const endpointId = key.slice(0, slash);
    let entry: FifoEntry | null = null;
    if (value !== null && value.length > 0) {
      try {
        const parsed = JSON.parse(value.toString('utf8')) as Partial<FifoEntry>;
        if (typeof parsed.dueAt !== 'number' || typeof parsed.blocking !== 'boolean') throw new Error();
        entry = { dueAt: parsed.dueAt, blocking: parsed.blocking };
      } catch {
        this.log.error(`herald.fifo record ${key} is not a lane entry; ignored`);
        return;
      }
    }
    const slot = entry ? this.slotOf(endpointId) : this.lanes.get(endpointId);
    slot?.lane.load(BigInt(seqText), entry);
  }

  /** Entries a lane holds (tests and diagnostics). */
  entries(endpointId: string): Array<[FifoSeq, FifoEntry]> {
    const lane = this.lanes.get(endpointId)?.lane;
    return lane ? lane.seqs().map((seq): [FifoSeq, FifoEntry] => [seq, lane.entry(seq)!]) : [];
  }

  /** `herald.fifo` records for lane changes: the entry, or a tombstone once resolved. */
  records(endpointId: string, changes: Array<[FifoSeq, FifoEntry | null]>): OutgoingRecord[] {
    return changes.map(([seq, entry]) => ({
      topic: Topics.fifo,
      key: fifoEntryKey(endpointId, seq),
      value: entry ? JSON.stringify({ endpointId, seq: String(seq), ...entry }) : null,
      headers: { [KafkaHeaders.fifoWriter]: this.settings.writerId },
    }));
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
        const decision = this.decide(endpointId, slot, seq, false) as Settled;
        if (decision.kind === 'attempt') slot.lane.attempting(seq);
        resolve(decision);
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

  /** Re-queues the record unchanged (same attempt, no attempt record) until just after the one ahead. */
  private async park(
    endpointId: string,
    slot: LaneSlot,
    record: FifoRecord,
    seq: FifoSeq,
    after: number,
  ): Promise<void> {
    const now = Date.now();
    // No jitter: records parked behind the same delivery come back in the order they were parked.
    const dueAt = Math.max(after, now) + FIFO_PARK_MARGIN_MS;
    const headers = copyHeaders(record.headers);
    headers[KafkaHeaders.dueAt] = String(dueAt);
    headers[KafkaHeaders.fifoSeq] = String(seq);
    slot.lane.deferred(seq, dueAt);
    const changes = slot.lane.takeChanges();
    // Waiters behind this one park now rather than wait out their time.
    this.pump(endpointId, slot);
    heraldMetrics.deliveries.inc({ outcome: 'fifo_parked' });
    try {
      await this.output.write([
        {
          topic: tierTopic(tierCovering(dueAt - now, this.settings.tiersMs)),
          key: record.key?.toString() ?? null,
          value: record.value,
          headers,
        },
        ...this.records(endpointId, changes),
      ]);
    } catch (error) {
      slot.lane.restoreChanges(changes.map(([changed]) => changed));
      throw error;
    }
  }
}

/**
 * One admitted FIFO delivery. The dispatch use case reports how the attempt ended and writes the
 * returned `herald.fifo` records with its own.
 */
export class FifoTicket {
  /** Seqs whose changes this ticket handed out, restored if their write fails. */
  readonly taken: FifoSeq[] = [];

  constructor(
    private readonly gate: FifoGate,
    private readonly endpointId: string,
    private readonly lane: FifoLane,
    readonly seq: FifoSeq,
  ) {}

  /** Marks a retried or deferred record with its place, so it keeps it when it comes back. */
  tag(headers: Record<string, string | Buffer>): void {
    headers[KafkaHeaders.fifoSeq] = String(this.seq);
  }

  /** Re-queued unattempted (circuit open, no slot): later deliveries keep waiting for it. */
  deferred(dueAt: number, headers: Record<string, string | Buffer>): OutgoingRecord[] {
    this.tag(headers);
    this.lane.deferred(this.seq, dueAt);
    return this.take();
  }

  /** Attempted: a retry due at `retryDueAt` blocks the endpoint; null (delivered or dead-lettered) frees it. */
  concluded(retryDueAt: number | null): OutgoingRecord[] {
    if (retryDueAt === null) this.lane.resolved(this.seq);
    else this.lane.retrying(this.seq, retryDueAt);
    return this.take();
  }

  private take(): OutgoingRecord[] {
    const changes = this.lane.takeChanges();
    for (const [seq] of changes) this.taken.push(seq);
    return this.gate.records(this.endpointId, changes);
  }
}

function copyHeaders(headers: IHeaders): Record<string, string | Buffer> {
  const out: Record<string, string | Buffer> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) out[name] = first;
  }
  return out;
}
