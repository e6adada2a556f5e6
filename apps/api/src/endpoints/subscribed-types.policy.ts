import { EVENT_TYPES } from '@herald/contracts';

/**
 * Why a (syntactically valid) subscription pattern names nothing Herald can deliver, or null when it
 * is fine: an exact type must be in the event catalogue, a `prefix.*` wildcard must match at least
 * one catalogued type, and `*` always matches.
 */
export function uncataloguedReason(
  pattern: string,
  catalogue: readonly string[] = EVENT_TYPES,
): string | null {
  if (pattern === '*') return null;
  if (pattern.endsWith('.*')) {
    const prefix = pattern.slice(0, -1);
    return catalogue.some((type) => type.startsWith(prefix))
      ? null
      : `${pattern} matches no event type in the catalogue (GET /v1/event-types)`;
  }
  return catalogue.includes(pattern)
    ? null
    : `${pattern} is not an event type in the catalogue (GET /v1/event-types)`;
}
