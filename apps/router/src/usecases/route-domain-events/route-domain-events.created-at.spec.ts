import { type DeliveryRequested, Topics } from '@herald/contracts';
import type { OutgoingRecord } from '@herald/kafka';
import { SubscriptionIndex } from '@herald/matching';
import { sampleEndpointSnapshot } from '@herald/testing';
import type { DomainRecord } from './route-domain-events.command';
import { routerForSpec } from './route-domain-events.test-kit';

/** A fresh router (empty dedupe window), as after a crash, routing to one endpoint. */
function route(record: DomainRecord): Promise<DeliveryRequested[]> {
  const index = new SubscriptionIndex();
  index.upsert(sampleEndpointSnapshot({ id: 'ep_a', workspaceId: 'ws_1', eventTypes: ['message.*'] }));
  const sent: OutgoingRecord[] = [];
  const producer = { send: jest.fn(async (records: OutgoingRecord[]) => void sent.push(...records)) };
  const useCase = routerForSpec({ index, producer });
  return useCase
    .execute({ topic: 'domain.messages', partition: 0, records: [record] })
    .then(() =>
      sent
        .filter((r) => r.topic === Topics.deliveries)
        .map((r) => JSON.parse(r.value as string) as DeliveryRequested),
    );
}

const source = (timestamp: string): DomainRecord => ({
  key: null,
  headers: {},
  offset: '5',
  timestamp,
  value: Buffer.from(
    JSON.stringify({
      id: 'e1',
      type: 'message.received',
      workspaceId: 'ws_1',
      occurredAt: '2026-03-20T14:00:00.000Z',
      data: { id: 'msg_1', conversationId: 'cnv_1', communicationType: 'sms' },
    }),
  ),
});

describe('RouteDomainEventsUseCase createdAt', () => {
  afterEach(() => jest.restoreAllMocks());

  it('is the source record timestamp, the same when the record is read again later', async () => {
    const out: DeliveryRequested[] = [];
    for (const now of [1_774_015_300_000, 1_774_019_000_000]) {
      jest.spyOn(Date, 'now').mockReturnValue(now);
      const [delivery] = await route(source('1774015205000'));
      expect(delivery.requestedAt).toBe(new Date(now).toISOString());
      out.push(delivery);
    }
    expect(out.map((d) => d.createdAt)).toEqual(['2026-03-20T14:00:05.000Z', '2026-03-20T14:00:05.000Z']);
    expect(out[0].deliveryId).toBe(out[1].deliveryId);
  });

  it('is left out when the source record has no timestamp (requestedAt stands in)', async () => {
    const [delivery] = await route(source('-1'));
    expect(delivery).toBeDefined();
    expect(delivery).not.toHaveProperty('createdAt');
  });
});
