import type { DomainEvent, EventValidator, InvalidEventReason } from '@herald/contracts';

export type Classification =
  { ok: true; event: DomainEvent } | { ok: false; reason: InvalidEventReason; message: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });

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
  return validator.validate(parsed);
}
