import { isOperationalEventType } from '@herald/contracts';
import type { MatchableEvent } from './shared-condition';

/**
 * Who may receive an operational event among the endpoints that subscribed to it. Never the endpoint
 * the event is about (`data.endpointId`): an endpoint's trouble reported to itself would add to that
 * trouble. And never a `delivery.exhausted` whose delivery itself carried an operational event: two
 * failing endpoints reporting on each other would otherwise send each exhaustion back and forth for
 * as long as both fail. Domain events pass unchanged.
 */
export function operationalRecipients<T extends { id: string }>(event: MatchableEvent, endpoints: T[]): T[] {
  if (!isOperationalEventType(event.type)) return endpoints;
  const data = (event.data ?? {}) as { endpointId?: unknown; eventType?: unknown };
  if (event.type === 'delivery.exhausted' && typeof data.eventType === 'string') {
    if (isOperationalEventType(data.eventType)) return [];
  }
  return endpoints.filter((endpoint) => endpoint.id !== data.endpointId);
}
