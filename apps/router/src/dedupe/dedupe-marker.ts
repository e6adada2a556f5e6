import { type DomainEvent, Topics } from '@herald/contracts';
import type { OutgoingRecord } from '@herald/kafka';

/** What `herald.dedupe` holds per key: when the event was first fanned out. */
export interface DedupeMarker {
  workspaceId: string;
  eventId: string;
  seenAt: number;
}

export function dedupeMarker(key: string, event: DomainEvent, seenAt: number): OutgoingRecord {
  const marker: DedupeMarker = { workspaceId: event.workspaceId, eventId: event.id, seenAt };
  return { topic: Topics.dedupe, key, value: JSON.stringify(marker) };
}

export function dedupeTombstone(key: string): OutgoingRecord {
  return { topic: Topics.dedupe, key, value: null };
}
