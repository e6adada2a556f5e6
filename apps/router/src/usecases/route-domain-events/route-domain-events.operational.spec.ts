import {
  type DeliveryRequested,
  type EndpointSnapshot,
  KafkaHeaders,
  type OperationalEvent,
  operationalEventId,
  Topics,
} from '@herald/contracts';
import type { OutgoingRecord } from '@herald/kafka';
import { SubscriptionIndex } from '@herald/matching';
import { deliveryIdFor } from '@herald/payloads';
import { sampleEndpointSnapshot } from '@herald/testing/fixtures';
import { DedupeWindow } from '../../dedupe/dedupe-window';
import type { DomainRecord } from './route-domain-events.command';
import { routerForSpec } from './route-domain-events.test-kit';

function endpoint(id: string, eventTypes: string[], workspaceId = 'ws_1'): EndpointSnapshot {
  return sampleEndpointSnapshot({ id, workspaceId, eventTypes, version: 1 });
}

const failing: OperationalEvent = {
  kind: 'OperationalEvent',
  type: 'endpoint.failing',
  workspaceId: 'ws_1',
  endpointId: 'ep_a',
  deliveryId: null,
  reason: 'failing since ...: 50% of HERALD_AUTO_DISABLE_AFTER',
  at: '2026-06-01T12:00:00.000Z',
  details: {
    threshold: 50,
    failingSince: '2026-06-01T11:00:00.000Z',
    disableAt: '2026-06-01T13:00:00.000Z',
  },
};

let offset = 0;
function record(value: string): DomainRecord {
  return {
    key: Buffer.from('ep_a'),
    value: Buffer.from(value),
    offset: String(offset++),
    timestamp: '1780315200000',
  };
}

function setup() {
  const index = new SubscriptionIndex();
  const dedupe = new DedupeWindow(86_400_000, 1_000);
  const sent: OutgoingRecord[] = [];
  const producer = { send: jest.fn(async (records: OutgoingRecord[]) => void sent.push(...records)) };
  const useCase = routerForSpec({ index, producer, dedupe });
  const run = (records: DomainRecord[], source: 'domain' | 'operational' = 'operational') =>
    useCase.execute({
      source,
      topic: source === 'operational' ? Topics.operational : 'domain.leads',
      partition: 0,
      records,
    });
  const deliveries = () =>
    sent
      .filter((r) => r.topic === Topics.deliveries)
      .map((r) => JSON.parse(r.value as string) as DeliveryRequested);
  return { index, run, sent, producer, deliveries };
}

describe('RouteDomainEventsUseCase: operational events', () => {
  it('delivers an operational record to the subscribed endpoints of its workspace, never the one it is about', async () => {
    const t = setup();
    t.index.upsert(endpoint('ep_a', ['endpoint.*']));
    t.index.upsert(endpoint('ep_b', ['endpoint.failing']));
    t.index.upsert(endpoint('ep_c', ['*']));
    t.index.upsert(endpoint('ep_other_ws', ['endpoint.*'], 'ws_2'));
    const value = JSON.stringify(failing);
    await t.run([record(value)]);

    const [delivery, ...more] = t.deliveries();
    expect(more).toEqual([]);
    const id = operationalEventId(value);
    expect(delivery).toMatchObject({
      endpointId: 'ep_b',
      eventId: id,
      eventType: 'endpoint.failing',
      deliveryId: deliveryIdFor('ep_b', id, 'ws_1'),
      occurredAt: failing.at,
    });
    // Only the documented fields: the operator's reason text stays inside Herald.
    expect(JSON.parse(delivery.payload)).toEqual({
      id,
      type: 'endpoint.failing',
      workspaceId: 'ws_1',
      occurredAt: failing.at,
      data: { endpointId: 'ep_a', ...failing.details },
    });
    expect(delivery.payload).not.toContain('HERALD_AUTO_DISABLE_AFTER');
  });

  it('delivers a record read again (or resent by its producer) once: its id is the hash of its bytes', async () => {
    const t = setup();
    t.index.upsert(endpoint('ep_b', ['endpoint.*']));
    const value = JSON.stringify(failing);
    await t.run([record(value), record(value)]);
    await t.run([record(value)]);
    expect(t.deliveries()).toHaveLength(1);
  });

  it('costs a workspace without subscribers nothing: no delivery, no dedupe marker, no write at all', async () => {
    const t = setup();
    t.index.upsert(endpoint('ep_a', ['endpoint.*']));
    t.index.upsert(endpoint('ep_b', ['message.*']));
    await t.run([record(JSON.stringify(failing))]);
    expect(t.sent).toEqual([]);
  });

  it('ignores records of the topic that are not operational events, and dead-letters none', async () => {
    const t = setup();
    t.index.upsert(endpoint('ep_b', ['endpoint.*']));
    await t.run([record('{"kind":"Something"}'), record('not json')]);
    expect(t.sent).toEqual([]);
  });

  it('dead-letters an operational record whose documented fields are missing, rather than delivering it', async () => {
    const t = setup();
    t.index.upsert(endpoint('ep_b', ['endpoint.*']));
    await t.run([record(JSON.stringify({ ...failing, details: undefined }))]);
    expect(t.deliveries()).toEqual([]);
    const [letter] = t.sent.filter((r) => r.topic === Topics.eventsInvalid);
    expect(letter.headers![KafkaHeaders.reasonCode]).toBe('schema_violation');
  });

  it('refuses an operational type produced to a domain topic (reserved_type)', async () => {
    const t = setup();
    t.index.upsert(endpoint('ep_b', ['endpoint.*']));
    const forged = {
      id: 'e1',
      type: 'endpoint.disabled',
      workspaceId: 'ws_1',
      occurredAt: failing.at,
      data: { endpointId: 'ep_a', cause: 'manual' },
    };
    await t.run([record(JSON.stringify(forged))], 'domain');
    expect(t.deliveries()).toEqual([]);
    expect(t.sent.find((r) => r.topic === Topics.eventsInvalid)!.headers![KafkaHeaders.reasonCode]).toBe(
      'reserved_type',
    );
  });
});
