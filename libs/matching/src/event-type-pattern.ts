import { DomainError, ErrorCode, isOperationalEventType } from '@herald/contracts';

/** Event types are dot-separated lowercase segments, e.g. `message.received`. */
const SEGMENT = '[a-z0-9][a-z0-9_-]*';
const PATTERN = new RegExp(`^(\\*|${SEGMENT}(\\.${SEGMENT})*(\\.\\*)?)$`);
const MAX_PATTERN_LENGTH = 200;

export type EventTypePatternKind = 'all' | 'prefix' | 'exact';

export interface ParsedEventTypePattern {
  kind: EventTypePatternKind;
  /** The exact type, or the prefix without its trailing `.*` (empty for `*`). */
  value: string;
}

/**
 * Accepts `lead.created` (exact), `message.*` (any type under `message.`, at any depth) and `*`.
 * Throws DomainError(InvalidEventTypePattern) naming what is wrong.
 */
export function validateEventTypePattern(pattern: string): ParsedEventTypePattern {
  if (typeof pattern !== 'string' || pattern.length === 0) {
    throw new DomainError(ErrorCode.InvalidEventTypePattern, 'event type pattern must be a non-empty string');
  }
  if (pattern.length > MAX_PATTERN_LENGTH) {
    throw new DomainError(
      ErrorCode.InvalidEventTypePattern,
      `event type pattern is longer than ${MAX_PATTERN_LENGTH} characters`,
    );
  }
  if (!PATTERN.test(pattern)) {
    throw new DomainError(
      ErrorCode.InvalidEventTypePattern,
      `"${pattern}" is not an event type pattern: use an exact type (lead.created), a prefix wildcard (message.*) or *`,
      { pattern },
    );
  }
  return parseValidPattern(pattern);
}

function parseValidPattern(pattern: string): ParsedEventTypePattern {
  if (pattern === '*') return { kind: 'all', value: '' };
  if (pattern.endsWith('.*')) return { kind: 'prefix', value: pattern.slice(0, -2) };
  return { kind: 'exact', value: pattern };
}

/**
 * Whether an event type matches a (valid) pattern. The subscription index avoids this on the hot path.
 * `*` means every domain type: operational types (`endpoint.*`, `delivery.*`) are only delivered to
 * endpoints that name them or their prefix, so existing `*` endpoints never start receiving them.
 */
export function matchesEventType(pattern: string, type: string): boolean {
  const parsed = parseValidPattern(pattern);
  if (parsed.kind === 'all') return !isOperationalEventType(type);
  if (parsed.kind === 'exact') return parsed.value === type;
  return type.startsWith(`${parsed.value}.`);
}

/** The prefixes a type falls under: `a.b.c` -> [`a`, `a.b`]. */
export function typePrefixes(type: string): string[] {
  const prefixes: string[] = [];
  let at = type.indexOf('.');
  while (at > 0) {
    prefixes.push(type.slice(0, at));
    at = type.indexOf('.', at + 1);
  }
  return prefixes;
}
