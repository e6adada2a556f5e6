import { createdAtFromSourceRecord, deliveryRequested, payloadVersionLabel } from '@herald/contracts';
import type { DeliveryRequested, DomainEvent } from '@herald/contracts';
import { deliveryIdFor, renderPayload } from '@herald/payloads';
import type { EndpointEntity } from '@herald/persistence';

/**
 * The backfill request for one event read back from a domain topic. `createdAt` is the source record's
 * timestamp, as the router's fan-out sets it, so a backfill of an event already delivered lands on the
 * original delivery's row instead of starting a second one.
 */
export function backfillRequest(
  endpoint: Pick<EndpointEntity, 'id' | 'workspaceId' | 'payloadProfile' | 'eventVersion'>,
  event: DomainEvent,
  source: { timestamp: string },
  requestedAt: string,
): DeliveryRequested {
  return deliveryRequested({
    deliveryId: deliveryIdFor(endpoint.id, event.id, event.workspaceId),
    workspaceId: endpoint.workspaceId,
    endpointId: endpoint.id,
    eventId: event.id,
    eventType: event.type,
    occurredAt: event.occurredAt,
    attempt: 1,
    payload: renderPayload(endpoint.payloadProfile, event, payloadVersionLabel(endpoint.eventVersion, event)),
    requestedAt,
    createdAt: createdAtFromSourceRecord(source.timestamp),
    trigger: 'backfill',
  });
}
