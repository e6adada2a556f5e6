import { decodeDeliveryRequested, type DomainEvent } from '@herald/contracts';
import { deliveryIdFor } from '@herald/payloads';
import { backfillRequest } from './backfill-request.builder';

const endpoint = { id: 'ep_1', workspaceId: 'ws_1', payloadProfile: 'herald' as const, eventVersion: null };
const event = {
  id: 'evt_1',
  type: 'message.received',
  workspaceId: 'ws_1',
  occurredAt: '2026-03-20T14:00:00.000Z',
  data: { id: 'msg_1' },
} as DomainEvent;

describe('backfillRequest', () => {
  it('keys the delivery by the source record timestamp, like fan-out, whenever it runs', () => {
    const source = { timestamp: '1774015205000' };
    const early = backfillRequest(endpoint, event, source, '2026-03-21T00:00:00.000Z');
    const late = backfillRequest(endpoint, event, source, '2026-03-25T00:00:00.000Z');
    expect(early).toMatchObject({
      deliveryId: deliveryIdFor('ep_1', 'evt_1', 'ws_1'),
      attempt: 1,
      trigger: 'backfill',
      requestedAt: '2026-03-21T00:00:00.000Z',
      createdAt: '2026-03-20T14:00:05.000Z',
    });
    expect(late.createdAt).toBe(early.createdAt);
    expect(decodeDeliveryRequested(JSON.stringify(late))?.createdAt).toBe('2026-03-20T14:00:05.000Z');
  });

  it('leaves createdAt out when the source record has no timestamp', () => {
    const request = backfillRequest(endpoint, event, { timestamp: '-1' }, '2026-03-21T00:00:00.000Z');
    expect(JSON.parse(JSON.stringify(request))).not.toHaveProperty('createdAt');
  });
});
