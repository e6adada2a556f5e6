import type { DeliveryRequested } from '@herald/contracts';

/**
 * A first-attempt DeliveryRequested as the router writes it to `herald.deliveries`: a message.created
 * event, requested (and created) now. Tests give the ids and override what they exercise.
 */
export function sampleDeliveryRequested(
  overrides: Pick<DeliveryRequested, 'deliveryId' | 'workspaceId' | 'endpointId' | 'eventId'> &
    Partial<DeliveryRequested>,
): DeliveryRequested {
  const now = new Date().toISOString();
  return {
    kind: 'DeliveryRequested',
    eventType: 'message.created',
    occurredAt: now,
    attempt: 1,
    payload: '{}',
    requestedAt: now,
    createdAt: now,
    trigger: 'event',
    ...overrides,
  };
}
