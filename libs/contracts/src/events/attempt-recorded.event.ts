import { Topics } from '../topics';
import { isIsoTimestamp, type HeraldRecord } from './herald-record';

export type AttemptOutcome =
  'succeeded' | 'retry_scheduled' | 'exhausted' | 'endpoint_disabled' | 'circuit_open';

export type AttemptErrorClass =
  | 'dns'
  | 'connect'
  | 'tls'
  | 'timeout'
  | 'reset'
  | 'unsafe_address'
  | 'http_status'
  | 'redirect'
  | 'circuit_open'
  | 'unknown';

/** The trigger of a delivery made from a test ping (POST .../test, verify-on-create). */
export const TEST_PING_TRIGGER = 'test';

/** One HTTP attempt, on `herald.attempts` keyed by delivery id. */
export interface AttemptRecorded {
  kind: 'AttemptRecorded';
  attemptId: string;
  deliveryId: string;
  workspaceId: string;
  endpointId: string;
  eventId: string;
  eventType: string;
  attempt: number;
  startedAt: string;
  durationMs: number;
  request: {
    url: string;
    method: 'POST';
    /** Custom header values and signatures are always `[redacted]`: names only. */
    headers: Record<string, string>;
    /** Custom headers the dispatcher left out (reserved name or unsendable value), by name. */
    skippedHeaders?: string[];
    /** The body is stored once on the delivery; this names it. */
    bodyRef: string;
  };
  response: {
    status: number;
    headers: Record<string, string>;
    /** At most 64 KiB. */
    body: string;
    bodyTruncated: boolean;
  } | null;
  remoteIp: string | null;
  errorClass: AttemptErrorClass | null;
  errorMessage: string | null;
  outcome: AttemptOutcome;
  /** When the next attempt is due, if one is scheduled. */
  nextAttemptAt: string | null;
  traceId: string | null;
  spanId: string | null;
  /**
   * Only on a test ping, which the API sends itself: no DeliveryRequested exists for it (the dispatcher
   * must not send it again), so the projector makes the delivery row, trigger `test`, from this.
   */
  testPing?: { payload: string; occurredAt: string };
  /** The delivery's `createdAt`, the log's partition key; absent on older records (`startedAt` stands in). */
  deliveryCreatedAt?: string;
}

/** The `herald.attempts` record of one attempt, keyed by delivery id. */
export function attemptRecordedRecord(attempt: AttemptRecorded): HeraldRecord {
  return { topic: Topics.attempts, key: attempt.deliveryId, value: JSON.stringify(attempt) };
}

/** The attempt in `value`, or undefined when it is not an AttemptRecorded; never throws. */
export function decodeAttemptRecorded(value: Buffer | string | null): AttemptRecorded | undefined {
  if (!value) return undefined;
  try {
    const a = JSON.parse(value.toString()) as Partial<AttemptRecorded> | null;
    const ok =
      a?.kind === 'AttemptRecorded' &&
      typeof a.attemptId === 'string' &&
      typeof a.deliveryId === 'string' &&
      typeof a.endpointId === 'string' &&
      Number.isInteger(a.attempt) &&
      typeof a.outcome === 'string';
    if (!ok) return undefined;
    // A malformed key would split the delivery's rows; drop it so `startedAt` stands in.
    if (a.deliveryCreatedAt !== undefined && !isIsoTimestamp(a.deliveryCreatedAt)) delete a.deliveryCreatedAt;
    return a as AttemptRecorded;
  } catch {
    return undefined;
  }
}
