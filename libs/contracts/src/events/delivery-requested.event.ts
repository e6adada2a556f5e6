import { KafkaHeaders } from '../kafka-headers';
import { Topics } from '../topics';
import { copyHeaders, isIsoTimestamp, type HeraldRecord, type ReadHeaders } from './herald-record';

/** One delivery of one event to one endpoint, on `herald.deliveries` keyed by endpoint id. */
export interface DeliveryRequested {
  kind: 'DeliveryRequested';
  /** Stable across retries; sent as `webhook-id`. */
  deliveryId: string;
  workspaceId: string;
  endpointId: string;
  eventId: string;
  eventType: string;
  occurredAt: string;
  /** 1-based number of the attempt this record asks for. */
  attempt: number;
  /** The exact body bytes (UTF-8 JSON), fixed at fan-out so every retry sends identical bytes. */
  payload: string;
  requestedAt: string;
  /**
   * When the delivery was first requested (ISO), the same on every record of it: the delivery log's
   * partition key. Fan-out and backfill take the source event record's timestamp, so reading the same
   * event again gives the same value. Absent on records written before it existed: `requestedAt` stands in.
   */
  createdAt?: string;
  /**
   * Why this delivery exists beyond normal fan-out. `test` (TEST_PING_TRIGGER) names the delivery rows
   * of test pings, which the API sends itself: none is ever produced here (attempt-recorded.event.ts).
   */
  trigger: 'event' | 'retry' | 'manual-retry' | 'recover' | 'backfill' | 'test';
}

/** A new delivery (fan-out, backfill, replay); every producer of `herald.deliveries` builds it here. */
export function deliveryRequested(fields: Omit<DeliveryRequested, 'kind'>): DeliveryRequested {
  return { kind: 'DeliveryRequested', ...fields };
}

/**
 * A delivery's `createdAt` from the timestamp (epoch ms, as Kafka gives it) of the domain-event record
 * it was made from: fixed once the record is written, so fan-out and backfill of the same record agree.
 * Undefined when the record carries none (-1 on old message formats); `requestedAt` then stands in.
 */
export function createdAtFromSourceRecord(timestamp: string | undefined): string | undefined {
  const ms = Number(timestamp);
  return timestamp !== undefined && timestamp !== '' && Number.isSafeInteger(ms) && ms >= 0
    ? new Date(ms).toISOString()
    : undefined;
}

/** The record on `herald.deliveries`, keyed by endpoint id so one endpoint's deliveries stay in order. */
export function deliveryRequestedRecord(
  delivery: DeliveryRequested,
  headers?: Record<string, string | Buffer>,
): HeraldRecord {
  return { topic: Topics.deliveries, key: delivery.endpointId, value: JSON.stringify(delivery), headers };
}

/** The delivery in `value`, or undefined when it is not a usable DeliveryRequested; never throws. */
export function decodeDeliveryRequested(value: Buffer | string | null): DeliveryRequested | undefined {
  if (!value) return undefined;
  try {
    const parsed = JSON.parse(value.toString()) as DeliveryRequested | null;
    const ok =
      parsed?.kind === 'DeliveryRequested' &&
      typeof parsed.deliveryId === 'string' &&
      typeof parsed.endpointId === 'string' &&
      typeof parsed.payload === 'string' &&
      Number.isInteger(parsed.attempt) &&
      parsed.attempt >= 1;
    if (!ok) return undefined;
    // A malformed key would split the delivery's rows; drop it so `requestedAt` stands in.
    if (parsed.createdAt !== undefined && !isIsoTimestamp(parsed.createdAt)) delete parsed.createdAt;
    return parsed;
  } catch {
    return undefined;
  }
}

/**
 * The record asking for the next attempt, on a retry tier: same id and payload, `attempt` raised,
 * the read record's headers carried on. The first attempt's producer context becomes the origin every
 * later attempt links to; the retry's own trace starts when it falls due (the scheduler's forward),
 * linked to the failed attempt rather than parented.
 */
export function retryDeliveryRecord(input: {
  delivery: DeliveryRequested;
  nextAttempt: number;
  requestedAt: string;
  tierTopic: string;
  key: string | null;
  headers: ReadHeaders | undefined;
  dueAt: number;
  previousAttemptTraceparent?: string;
  fifoSeq?: bigint | null;
}): HeraldRecord {
  const next: DeliveryRequested = {
    ...input.delivery,
    attempt: input.nextAttempt,
    trigger: 'retry',
    requestedAt: input.requestedAt,
  };
  const headers = copyHeaders(input.headers);
  if (input.fifoSeq != null) headers[KafkaHeaders.fifoSeq] = String(input.fifoSeq);
  if (!headers[KafkaHeaders.originTraceparent] && headers[KafkaHeaders.traceparent]) {
    headers[KafkaHeaders.originTraceparent] = headers[KafkaHeaders.traceparent];
  }
  if (input.previousAttemptTraceparent) {
    headers[KafkaHeaders.previousAttemptTraceparent] = input.previousAttemptTraceparent;
  }
  delete headers[KafkaHeaders.traceparent];
  headers[KafkaHeaders.dueAt] = String(input.dueAt);
  return { topic: input.tierTopic, key: input.key, value: JSON.stringify(next), headers };
}

/**
 * The record as it was read, re-queued unattempted on a retry tier (circuit open, no slot, FIFO
 * parking): same bytes and attempt number, due at `dueAt`, keeping its FIFO place if it has one.
 */
export function deferredDeliveryRecord(input: {
  tierTopic: string;
  key: string | null;
  value: Buffer | string | null;
  headers: ReadHeaders | undefined;
  dueAt: number;
  fifoSeq?: bigint | null;
}): HeraldRecord {
  const headers = copyHeaders(input.headers);
  headers[KafkaHeaders.dueAt] = String(input.dueAt);
  if (input.fifoSeq != null) headers[KafkaHeaders.fifoSeq] = String(input.fifoSeq);
  return { topic: input.tierTopic, key: input.key, value: input.value, headers };
}
