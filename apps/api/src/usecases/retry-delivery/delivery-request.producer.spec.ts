import type { DeliveryWithPayload } from '@herald/persistence';
import { DeliveryRequestProducer } from './delivery-request.producer';

const stored = {
  deliveryId: 'dlv_1',
  workspaceId: 'ws_1',
  endpointId: 'ep_1',
  eventId: 'evt_1',
  eventType: 'message.received',
  occurredAt: new Date('2026-03-20T14:00:00.000Z'),
  createdAt: new Date('2026-03-20T14:00:05.000Z'),
  attemptCount: 3,
  payload: '{"a":1}',
} as DeliveryWithPayload;

describe('DeliveryRequestProducer.toRequest', () => {
  const producer = new DeliveryRequestProducer({} as never);

  it.each(['manual-retry', 'recover'] as const)(
    '%s: next attempt keyed by the stored createdAt',
    (trigger) => {
      const request = producer.toRequest(stored, trigger);
      expect(request).toMatchObject({
        deliveryId: 'dlv_1',
        attempt: 4,
        payload: '{"a":1}',
        trigger,
        createdAt: '2026-03-20T14:00:05.000Z',
      });
      expect(request.requestedAt).not.toBe(request.createdAt);
    },
  );
});
