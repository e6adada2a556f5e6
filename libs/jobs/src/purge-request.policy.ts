/**
 * What a purge request selects. Exactly one selector, so a typo cannot widen an erasure: a request
 * naming an event and an endpoint is refused rather than guessed at.
 */
export type PurgeSelector =
  { by: 'event'; eventId: string } | { by: 'endpoint'; endpointId: string } | { by: 'before'; before: Date };

export interface PurgeRequestInput {
  eventId?: unknown;
  endpointId?: unknown;
  before?: unknown;
}

export type PurgeRequestDecision =
  { ok: true; selector: PurgeSelector } | { ok: false; fields: { field: string; message: string }[] };

const SELECTORS = ['eventId', 'endpointId', 'before'] as const;
const MAX_EVENT_ID = 200;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A date and a time with an explicit zone: a bare date or local time would erase a guessed range. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** Checks a purge request against `now`; a `before` in the future is refused (it would race new writes). */
export function decidePurgeRequest(input: PurgeRequestInput, now: Date): PurgeRequestDecision {
  const given = SELECTORS.filter((name) => input[name] !== undefined && input[name] !== null);
  if (given.length !== 1) {
    const message =
      given.length === 0
        ? 'give exactly one of eventId, endpointId, before'
        : `give exactly one of eventId, endpointId, before; got ${given.join(' and ')}`;
    const named = given.length === 0 ? SELECTORS : given;
    return { ok: false, fields: named.map((field) => ({ field, message })) };
  }
  const field = given[0];
  const value = input[field];
  if (typeof value !== 'string' || value.trim() === '') return refuse(field, 'must be a non-empty string');
  if (field === 'eventId') {
    if (value.length > MAX_EVENT_ID) return refuse(field, `must be at most ${MAX_EVENT_ID} characters`);
    return { ok: true, selector: { by: 'event', eventId: value } };
  }
  if (field === 'endpointId') {
    if (!UUID.test(value)) return refuse(field, 'must be an endpoint id (a UUID)');
    return { ok: true, selector: { by: 'endpoint', endpointId: value.toLowerCase() } };
  }
  const before = new Date(value);
  if (!ISO_INSTANT.test(value) || Number.isNaN(before.getTime()))
    return refuse(field, 'expected an ISO-8601 time with a zone, e.g. 2026-11-22T10:00:00Z');
  if (before.getTime() > now.getTime()) return refuse(field, 'must not be in the future');
  return { ok: true, selector: { by: 'before', before } };
}

function refuse(field: string, message: string): PurgeRequestDecision {
  return { ok: false, fields: [{ field, message }] };
}
