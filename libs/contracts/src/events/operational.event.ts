import { Topics } from '../topics';
import type { HeraldRecord } from './herald-record';

export type OperationalEventType =
  'endpoint.disabled' | 'endpoint.circuit_opened' | 'endpoint.circuit_closed' | 'delivery.exhausted';

/** State changes that must never be silent, on `herald.operational` keyed by endpoint id. */
export interface OperationalEvent {
  kind: 'OperationalEvent';
  type: OperationalEventType;
  workspaceId: string;
  endpointId: string;
  deliveryId: string | null;
  reason: string;
  at: string;
}

const TYPES = new Set<string>([
  'endpoint.disabled',
  'endpoint.circuit_opened',
  'endpoint.circuit_closed',
  'delivery.exhausted',
]);

/** The `herald.operational` record of one event, keyed by endpoint id. */
export function operationalEventRecord(fields: Omit<OperationalEvent, 'kind'>): HeraldRecord {
  const event: OperationalEvent = { kind: 'OperationalEvent', ...fields };
  return { topic: Topics.operational, key: event.endpointId, value: JSON.stringify(event) };
}

/** The event in `value`, or undefined when it is not an OperationalEvent; never throws. */
export function decodeOperationalEvent(value: Buffer | string | null): OperationalEvent | undefined {
  if (!value) return undefined;
  try {
    const e = JSON.parse(value.toString()) as Partial<OperationalEvent> | null;
    const ok =
      e?.kind === 'OperationalEvent' &&
      typeof e.type === 'string' &&
      TYPES.has(e.type) &&
      typeof e.endpointId === 'string' &&
      typeof e.workspaceId === 'string' &&
      typeof e.at === 'string';
    return ok ? (e as OperationalEvent) : undefined;
  } catch {
    return undefined;
  }
}
