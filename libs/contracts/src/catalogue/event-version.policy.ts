import { DEFAULT_EVENT_VERSION, eventTypeVersions } from './event-catalogue';

/**
 * Which schema versions an endpoint receives. An endpoint may pin `eventVersion` N: for each type it
 * then takes the newest catalogued version ≤ N (so a pin of 2 still receives v1-only types), and
 * events of any other version of that type are not delivered to it. Unpinned endpoints take every
 * version. A producer migrating a type publishes each version as its own event (its own id, since
 * events are deduplicated by id) until no endpoint is pinned to the old one.
 */

/** The version an event's data follows: the one it names, else 1. */
export function eventVersionOf(event: { schemaVersion?: number }): number {
  return event.schemaVersion ?? DEFAULT_EVENT_VERSION;
}

/** The version of `type` an endpoint pinned to `pin` takes; undefined when it is not pinned. */
export function pinnedVersionFor(type: string, pin: number | null | undefined): number | undefined {
  if (pin === null || pin === undefined) return undefined;
  const versions = eventTypeVersions(type).filter((version) => version <= pin);
  return versions.length > 0 ? versions[versions.length - 1] : DEFAULT_EVENT_VERSION;
}

/** Whether an endpoint with this pin receives this event. */
export function endpointTakesEvent(
  pin: number | null | undefined,
  event: { type: string; schemaVersion?: number },
): boolean {
  const wanted = pinnedVersionFor(event.type, pin);
  return wanted === undefined || wanted === eventVersionOf(event);
}

/**
 * The version a payload is labelled with: always for a pinned endpoint, and for any endpoint when the
 * event named its version; undefined leaves an unpinned endpoint's v1 payloads as they always were.
 */
export function payloadVersionLabel(
  pin: number | null | undefined,
  event: { schemaVersion?: number },
): number | undefined {
  return pin != null || event.schemaVersion !== undefined ? eventVersionOf(event) : undefined;
}

/** The highest version any type has; an endpoint's pin must lie in 1..this. */
export function highestEventVersion(types: readonly { version: number }[]): number {
  return types.reduce((highest, entry) => Math.max(highest, entry.version), DEFAULT_EVENT_VERSION);
}
