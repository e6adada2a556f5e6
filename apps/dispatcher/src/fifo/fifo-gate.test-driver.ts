import { deferredDeliveryRecord } from '@herald/contracts';
import { type FifoSeq, planFifoPark } from '@herald/delivery';
import type { OutgoingRecord } from '@herald/kafka';
import { FifoGate, type FifoRecord, fifoSeqOf } from './fifo-gate';

/** Test support for the gate's spec. */
export type TestRecord = FifoRecord & { key: Buffer | null; value: Buffer | null };

/** An admitted delivery as the test's send sees it: its place, and how it reports its end. */
export interface Turn {
  seq: FifoSeq;
  concluded(retryDueAt: number | null): OutgoingRecord[];
}

/**
 * Drives the gate as the dispatch use case and its executor do: admit, then either write the parked
 * record with its lane change, or run the send and release the lane; lane changes whose write failed
 * are given back.
 */
export class GateDriver {
  constructor(
    readonly gate: FifoGate,
    private readonly output: { write(records: OutgoingRecord[]): Promise<void> },
    private readonly tiersMs: readonly number[],
  ) {}

  async run<T>(
    endpointId: string,
    record: TestRecord,
    send: (turn: Turn) => Promise<T>,
  ): Promise<T | 'deferred'> {
    const turn = await this.gate.admit(endpointId, record);
    if (turn.kind === 'park') {
      const now = Date.now();
      const [defer] = planFifoPark({ after: turn.after, now, tiersMs: this.tiersMs }).intents;
      if (defer.kind !== 'defer') throw new Error('a park defers');
      const lane = this.gate.change(endpointId, turn.seq, { kind: 'deferred', dueAt: defer.dueAt });
      const parked = deferredDeliveryRecord({
        tierTopic: defer.tierTopic,
        key: record.key?.toString() ?? null,
        value: record.value,
        headers: record.headers,
        dueAt: defer.dueAt,
        fifoSeq: turn.seq,
      });
      try {
        await this.output.write([parked, ...lane.records]);
      } catch (error) {
        this.gate.restore(endpointId, lane.taken);
        throw error;
      }
      return 'deferred';
    }
    const taken: FifoSeq[] = [];
    try {
      return await send({
        seq: turn.seq,
        concluded: (retryDueAt) => {
          const change =
            retryDueAt === null
              ? { kind: 'resolved' as const }
              : { kind: 'retrying' as const, dueAt: retryDueAt };
          const lane = this.gate.change(endpointId, turn.seq, change);
          taken.push(...lane.taken);
          return lane.records;
        },
      });
    } catch (error) {
      this.gate.restore(endpointId, taken);
      throw error;
    } finally {
      this.gate.release(endpointId, turn.seq);
    }
  }

  dropped(endpointId: string, record: TestRecord): OutgoingRecord[] {
    return this.gate.change(endpointId, fifoSeqOf(record), { kind: 'dropped' }).records;
  }

  applyChangelog(key: string, value: Buffer | null, writer: string | undefined): void {
    this.gate.applyChangelog(key, value, writer);
  }

  sweep(isFifo: (id: string) => boolean): void {
    this.gate.sweep(isFifo);
  }

  entries(endpointId: string) {
    return this.gate.entries(endpointId);
  }
}
