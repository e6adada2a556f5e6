import type { IHeaders } from 'kafkajs';
import { type EndpointSnapshot, KafkaHeaders } from '@herald/contracts';
import { readHeader } from '@herald/kafka';

/** The endpoint a herald.deliveries record is for, and the snapshot version it was routed against. */
export interface EndpointRef {
  endpointId: string;
  /** Absent on records written before the router stamped versions, and on API replays. */
  version?: number;
}

/** Reads the ref from the record key (the endpoint id) and the router's version header. */
export function endpointRefOf(record: { key: Buffer | null; headers?: IHeaders }): EndpointRef | undefined {
  const endpointId = record.key?.toString();
  if (!endpointId) return undefined;
  const stamped = Number(readHeader(record.headers, KafkaHeaders.endpointVersion));
  return Number.isSafeInteger(stamped) ? { endpointId, version: stamped } : { endpointId };
}

/**
 * Whether the dispatcher must read herald.subscriptions further before judging this record: it has
 * not heard of the endpoint at all (the API may have created it moments ago), or holds a version
 * older than the one the router matched. A tombstone it has read settles the question.
 */
export function isBehind(
  ref: EndpointRef,
  held: Pick<EndpointSnapshot, 'version'> | undefined,
  tombstoned: boolean,
): boolean {
  if (tombstoned) return false;
  if (!held) return true;
  return ref.version !== undefined && held.version < ref.version;
}
