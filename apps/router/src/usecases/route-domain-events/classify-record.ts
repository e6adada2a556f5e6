import {
  decodeOperationalEvent,
  type DomainEvent,
  type EventValidator,
  type InvalidEventReason,
  isOperationalEventType,
  operationalDomainEvent,
  operationalEventId,
} from '@herald/contracts';

export type Classification =
  { ok: true; event: DomainEvent } | { ok: false; reason: InvalidEventReason; message: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });
/** Deeper JSON cannot be re-encoded safely (JSON.stringify recurses); no real event comes close. */
export const MAX_EVENT_DEPTH = 64;

/** Bytes to a validated event, or the first reason they are not one. Never throws. */
export function classifyRecord(
  value: Buffer | null,
  maxBytes: number,
  validator: EventValidator,
): Classification {
  if (!value || value.length === 0) return { ok: false, reason: 'empty', message: 'the record has no value' };
  if (value.length > maxBytes) {
    return {
      ok: false,
      reason: 'too_large',
      message: `the record is ${value.length} bytes; the limit is ${maxBytes} (HERALD_MAX_EVENT_BYTES)`,
    };
  }
  let text: string;
  try {
    text = utf8.decode(value);
  } catch {
    return { ok: false, reason: 'invalid_utf8', message: 'the record value is not valid UTF-8' };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return {
      ok: false,
      reason: 'invalid_json',
      message: `the record value is not JSON: ${(error as Error).message}`,
    };
  }
  if (exceedsDepth(parsed, MAX_EVENT_DEPTH)) {
    return {
      ok: false,
      reason: 'schema_violation',
      message: `the event is nested deeper than ${MAX_EVENT_DEPTH} levels`,
    };
  }
  const validated = validator.validate(parsed);
  if (validated.ok && isOperationalEventType(validated.event.type)) {
    return {
      ok: false,
      reason: 'reserved_type',
      message: `${validated.event.type} is an operational event type: Herald emits it itself, and it cannot be produced to a domain topic`,
    };
  }
  return validated;
}

/**
 * A `herald.operational` record as the catalogue event customers receive, or null when it is not an
 * OperationalEvent this router knows (the topic is Herald's own: nothing there is a customer's input
 * to dead-letter). Its id is the hash of its bytes; it is validated only once it has subscribers.
 */
export function classifyOperationalRecord(value: Buffer | null): { ok: true; event: DomainEvent } | null {
  const operational = decodeOperationalEvent(value);
  if (!operational || !value) return null;
  return { ok: true, event: operationalDomainEvent(operational, operationalEventId(value)) };
}

/** Iterative, so hostile nesting cannot overflow the stack here either. */
function exceedsDepth(root: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (depth > limit) return true;
    for (const child of Array.isArray(value) ? value : Object.values(value)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return false;
}
