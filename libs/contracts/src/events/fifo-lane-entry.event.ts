import { KafkaHeaders } from '../kafka-headers';
import { Topics } from '../topics';
import type { HeraldRecord } from './herald-record';

/**
 * One unresolved delivery of a FIFO endpoint on the compacted `herald.fifo` topic, keyed
 * `<endpoint id>/<seq>`; a tombstone once it is resolved.
 */
export interface FifoLaneEntry {
  endpointId: string;
  /** The delivery's place (offset of its first appearance on `herald.deliveries`), as text. */
  seq: string;
  /** When its record is due back on `herald.deliveries`, epoch ms. */
  dueAt: number;
  /** True for the head whose retry is pending: every other delivery of the endpoint waits for it. */
  blocking: boolean;
}

/** Key of one lane entry; the seq follows the last slash (endpoint ids never end in one). */
export function fifoLaneKey(endpointId: string, seq: bigint | string): string {
  return `${endpointId}/${seq}`;
}

/** The entry's record, or its tombstone (`entry` null), tagged with the writing process. */
export function fifoLaneRecord(input: {
  endpointId: string;
  seq: bigint;
  entry: { dueAt: number; blocking: boolean } | null;
  writerId: string;
}): HeraldRecord {
  const { endpointId, seq, entry } = input;
  const value: FifoLaneEntry | null = entry
    ? { endpointId, seq: String(seq), dueAt: entry.dueAt, blocking: entry.blocking }
    : null;
  return {
    topic: Topics.fifo,
    key: fifoLaneKey(endpointId, seq),
    value: value ? JSON.stringify(value) : null,
    headers: { [KafkaHeaders.fifoWriter]: input.writerId },
  };
}

/** A `herald.fifo` record as read back: the entry (null for a tombstone), or why it is unusable. */
export function decodeFifoLaneRecord(
  key: string,
  value: Buffer | string | null,
):
  | { ok: true; endpointId: string; seq: bigint; entry: { dueAt: number; blocking: boolean } | null }
  | { ok: false; reason: string } {
  const slash = key.lastIndexOf('/');
  const seqText = key.slice(slash + 1);
  if (slash <= 0 || !/^\d{1,19}$/.test(seqText)) return { ok: false, reason: 'key is not <endpoint>/<seq>' };
  const endpointId = key.slice(0, slash);
  const seq = BigInt(seqText);
  if (value === null || value.length === 0) return { ok: true, endpointId, seq, entry: null };
  try {
    const parsed = JSON.parse(value.toString()) as Partial<FifoLaneEntry> | null;
    if (typeof parsed?.dueAt !== 'number' || typeof parsed.blocking !== 'boolean') {
      return { ok: false, reason: 'not a lane entry' };
    }
    return { ok: true, endpointId, seq, entry: { dueAt: parsed.dueAt, blocking: parsed.blocking } };
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
}
