import { Topics } from '../topics';
import type { HeraldRecord } from './herald-record';

/** Every operational event type; each is also a catalogue type customers may subscribe to. */
export const OPERATIONAL_EVENT_TYPES = [
  'endpoint.disabled',
  'endpoint.enabled',
  'endpoint.failing',
  'endpoint.recovered',
  'endpoint.circuit_opened',
  'endpoint.circuit_closed',
  'delivery.exhausted',
] as const;

export type OperationalEventType = (typeof OPERATIONAL_EVENT_TYPES)[number];

/** Percentages of the auto-disable window at which `endpoint.failing` is announced. */
export const FAILING_THRESHOLDS = [50, 70, 90] as const;
export type FailingThreshold = (typeof FAILING_THRESHOLDS)[number];

/**
 * Structured facts about an operational event, the only ones a customer's webhook may carry
 * (`reason` is free text for operators and never leaves Herald). Which ones a type has: its
 * catalogue schema (`operational.schemas.ts`).
 */
export interface OperationalDetails {
  /** endpoint.failing, endpoint.recovered: first failed attempt with no success since (ISO-8601). */
  failingSince?: string;
  /** endpoint.failing: the level just crossed; endpoint.recovered: the highest one the streak crossed. */
  threshold?: FailingThreshold;
  /** endpoint.failing: when the endpoint is disabled if nothing succeeds before. */
  disableAt?: string;
  /** endpoint.circuit_opened: when the next probe attempt may go. */
  probeAt?: string;
  /** delivery.exhausted: the event whose delivery gave up, and how many attempts were made. */
  eventId?: string;
  eventType?: string;
  attempts?: number;
  /** endpoint.disabled: why, as a code (`endpoint_gone`, `endpoint_failing`, `manual`). */
  cause?: 'endpoint_gone' | 'endpoint_failing' | 'manual';
}

/** State changes that must never be silent, on `herald.operational` keyed by endpoint id. */
export interface OperationalEvent {
  kind: 'OperationalEvent';
  type: OperationalEventType;
  workspaceId: string;
  endpointId: string;
  deliveryId: string | null;
  /** For the operator (logs, the operational-events API); never delivered to customers. */
  reason: string;
  at: string;
  /** Absent on records written before details existed. */
  details?: OperationalDetails;
}

const TYPES = new Set<string>(OPERATIONAL_EVENT_TYPES);

export function isOperationalEventType(type: string): type is OperationalEventType {
  return TYPES.has(type);
}

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
      typeof e.at === 'string' &&
      (e.details === undefined || (typeof e.details === 'object' && e.details !== null));
    return ok ? (e as OperationalEvent) : undefined;
  } catch {
    return undefined;
  }
}
