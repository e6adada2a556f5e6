import { type DeliveryRequested, KafkaHeaders, Topics } from '@herald/contracts';
import type { OutgoingRecord } from '@herald/kafka';
import { SubscriptionIndex } from '@herald/matching';
import { sampleEndpointSnapshot } from '@herald/testing';
import type { DomainRecord } from './route-domain-events.command';
import { routerForSpec } from './route-domain-events.test-kit';

function setup() {
  const index = new SubscriptionIndex();
  const sent: OutgoingRecord[] = [];
  const producer = { send: jest.fn(async (records: OutgoingRecord[]) => void sent.push(...records)) };
  const useCase = routerForSpec({ index, producer });
  let offset = 0;
  const route = (...events: object[]) =>
    useCase.execute({
      topic: 'domain.messages',
      partition: 0,
      records: events.map((event): DomainRecord => ({
        key: null,
        value: Buffer.from(JSON.stringify(event)),
        headers: {},
        offset: String(offset++),
        timestamp: '1774015200000',
      })),
    });
  const deliveries = () =>
    sent
      .filter((r) => r.topic === Topics.deliveries)
      .map((r) => JSON.parse(r.value as string) as DeliveryRequested);
  const invalid = () => sent.filter((r) => r.topic === Topics.eventsInvalid);
  return { index, route, deliveries, invalid };
}

const base = { workspaceId: 'ws_1', type: 'message.received', occurredAt: '2026-03-20T14:00:00.000Z' };
const v1 = (id: string) => ({ ...base, id, data: { id: `m_${id}`, conversationId: 'c', from: '+1' } });
const v2 = (id: string) => ({
  ...base,
  id,
  schemaVersion: 2,
  data: { id: `m_${id}`, conversationId: 'c', from: { address: '+1', name: 'Ada' } },
});

describe('RouteDomainEventsUseCase with schema versions', () => {
  it('delivers each version only to endpoints pinned to it (or unpinned), labelled with it', async () => {
    const t = setup();
    t.index.upsert(sampleEndpointSnapshot({ id: 'ep_any', workspaceId: 'ws_1' }));
    t.index.upsert(sampleEndpointSnapshot({ id: 'ep_v1', workspaceId: 'ws_1', eventVersion: 1 }));
    t.index.upsert(
      sampleEndpointSnapshot({
        id: 'ep_v2',
        workspaceId: 'ws_1',
        eventVersion: 2,
        payloadProfile: 'nexadesk',
      }),
    );
    await t.route(v1('e1'), v2('e2'));
    const byEndpoint = (endpointId: string) =>
      t
        .deliveries()
        .filter((d) => d.endpointId === endpointId)
        .map((d) => ({ eventId: d.eventId, body: JSON.parse(d.payload) as Record<string, unknown> }));

    const any = byEndpoint('ep_any');
    expect(any.map((d) => d.eventId)).toEqual(['e1', 'e2']);
    expect(any[0].body).not.toHaveProperty('schemaVersion');
    expect(any[1].body).toMatchObject({ schemaVersion: 2 });

    const pinned1 = byEndpoint('ep_v1');
    expect(pinned1.map((d) => d.eventId)).toEqual(['e1']);
    expect(pinned1[0].body).toMatchObject({ schemaVersion: 1 });

    const pinned2 = byEndpoint('ep_v2');
    expect(pinned2.map((d) => d.eventId)).toEqual(['e2']);
    expect(pinned2[0].body).toMatchObject({ schema_version: 2, event: 'message.received' });
  });

  it('dead-letters a version-1 body that names version 2, and a version the catalogue lacks', async () => {
    const t = setup();
    t.index.upsert(sampleEndpointSnapshot({ id: 'ep_any', workspaceId: 'ws_1' }));
    await t.route({ ...v1('e1'), schemaVersion: 2 }, { ...v1('e2'), schemaVersion: 9 });
    expect(t.deliveries()).toEqual([]);
    expect(t.invalid().map((r) => (r.headers as Record<string, string>)[KafkaHeaders.reasonCode])).toEqual([
      'schema_violation',
      'unknown_version',
    ]);
  });
});
