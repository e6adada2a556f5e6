import { Topics } from '@herald/contracts';
import type { OutgoingRecord } from '@herald/kafka';

/**
 * What `herald.dedupe` holds: the event keys one routed batch fanned out, and when. One record per
 * batch rather than per event: the log is written, read back by every router and tombstoned, so
 * per-event markers cost three Kafka records per event.
 */
export interface DedupeMarker {
  seenAt: number;
  keys: string[];
}

/** Where a batch came from; with the time it makes each marker's key unique, so no write overwrites another. */
export interface BatchPosition {
  topic: string;
  partition: number;
  offset: string;
}

/**
 * Markers for one batch, split so none exceeds `maxBytes` (Kafka's record size cap). Each key is
 * unique per write: a replayed batch must not overwrite the keys an earlier run recorded.
 */
export function dedupeMarkers(
  position: BatchPosition,
  keys: readonly string[],
  seenAt: number,
  maxBytes: number,
): OutgoingRecord[] {
  const base = `${position.topic}/${position.partition}/${position.offset}@${seenAt}`;
  const records: OutgoingRecord[] = [];
  let chunk: string[] = [];
  let bytes = 0;
  const emit = () => {
    const marker: DedupeMarker = { seenAt, keys: chunk };
    const key = records.length === 0 ? base : `${base}#${records.length}`;
    records.push({ topic: Topics.dedupe, key, value: JSON.stringify(marker) });
    chunk = [];
    bytes = 0;
  };
  for (const key of keys) {
    const size = Buffer.byteLength(key) + 3;
    if (chunk.length > 0 && bytes + size > maxBytes - 64) emit();
    chunk.push(key);
    bytes += size;
  }
  if (chunk.length > 0) emit();
  return records;
}

/**
 * Reads a marker of either form: a batch marker, or the one-event marker older routers wrote under
 * the event's own key (still read, so an upgrade keeps its window). Null when it is neither.
 */
export function parseDedupeMarker(key: string, value: Buffer): DedupeMarker | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value.toString('utf8'));
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const { seenAt, keys, eventId } = parsed as { seenAt?: unknown; keys?: unknown; eventId?: unknown };
  if (typeof seenAt !== 'number') return null;
  if (Array.isArray(keys)) return { seenAt, keys: keys.filter((k): k is string => typeof k === 'string') };
  return typeof eventId === 'string' ? { seenAt, keys: [key] } : null;
}

export function dedupeTombstone(key: string): OutgoingRecord {
  return { topic: Topics.dedupe, key, value: null };
}
