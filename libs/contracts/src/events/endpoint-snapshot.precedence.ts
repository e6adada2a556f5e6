import type { EndpointSnapshot } from './endpoint-snapshot.event';

/**
 * Whether `incoming` should replace what is held for the same endpoint. Versions are monotonic per
 * endpoint; an older one (a late or replayed record) never overwrites a newer one, an equal one does.
 */
export function supersedes(
  held: Pick<EndpointSnapshot, 'version'> | undefined,
  incoming: Pick<EndpointSnapshot, 'version'>,
): boolean {
  return held === undefined || held.version <= incoming.version;
}
