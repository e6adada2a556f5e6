import type { EndpointSnapshot } from '@herald/contracts';
import { compileFilter } from './payload-filter';
import { SubscriptionIndex } from './subscription-index';

function endpoint(overrides: Partial<EndpointSnapshot> & { id: string }): EndpointSnapshot {
  return {
    workspaceId: 'ws_1',
    version: 1,
    url: 'https://example.test/hook',
    eventTypes: ['*'],
    filter: null,
    description: null,
    payloadProfile: 'herald',
    signatureScheme: 'standard-webhooks',
    signatureHeader: null,
    secrets: [],
    headers: {},
    timeoutMs: 10_000,
    maxInFlight: 10,
    rateLimitPerSecond: null,
    retrySchedule: null,
    fifo: false,
    disabled: false,
    disabledReason: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}

const received = {
  id: 'e1',
  type: 'message.received',
  workspaceId: 'ws_1',
  occurredAt: '',
  data: { communicationType: 'sms' },
};
const ids = (list: EndpointSnapshot[]) => list.map((e) => e.id).sort();

describe('SubscriptionIndex', () => {
  it('matches exact, prefix and * patterns within the workspace only', () => {
    const index = new SubscriptionIndex();
    index.upsert(endpoint({ id: 'exact', eventTypes: ['message.received'] }));
    index.upsert(endpoint({ id: 'prefix', eventTypes: ['message.*'] }));
    index.upsert(endpoint({ id: 'all', eventTypes: ['*'] }));
    index.upsert(endpoint({ id: 'other-type', eventTypes: ['lead.created', 'message.sent'] }));
    index.upsert(endpoint({ id: 'other-ws', workspaceId: 'ws_2', eventTypes: ['*'] }));
    expect(ids(index.match(received))).toEqual(['all', 'exact', 'prefix']);
  });

  it('gives operational types only to endpoints naming them or their prefix, never through *', () => {
    const index = new SubscriptionIndex();
    index.upsert(endpoint({ id: 'all', eventTypes: ['*'] }));
    index.upsert(endpoint({ id: 'exact', eventTypes: ['endpoint.failing'] }));
    index.upsert(endpoint({ id: 'prefix', eventTypes: ['endpoint.*', 'message.*'] }));
    const failing = { ...received, type: 'endpoint.failing', data: { endpointId: 'x' } };
    expect(ids(index.match(failing))).toEqual(['exact', 'prefix']);
    expect(ids(index.match(received))).toEqual(['all', 'prefix']);
  });

  it('returns an endpoint once even when several of its patterns match', () => {
    const index = new SubscriptionIndex();
    index.upsert(endpoint({ id: 'a', eventTypes: ['message.received', 'message.*', '*'] }));
    index.upsert(endpoint({ id: 'b', eventTypes: ['message.*', 'message.*'] }));
    expect(index.match(received).map((e) => e.id)).toHaveLength(2);
    expect(ids(index.match(received))).toEqual(['a', 'b']);
    index.upsert(endpoint({ id: 'b', version: 2, eventTypes: ['lead.created'] }));
    expect(index.match(received).map((e) => e.id)).toEqual(['a']);
    index.remove('a');
    expect(index.match(received)).toEqual([]);
  });

  it('applies the payload filter', () => {
    const index = new SubscriptionIndex();
    index.upsert(endpoint({ id: 'sms', filter: { 'data.communicationType': 'sms' } }));
    index.upsert(endpoint({ id: 'email', filter: { 'data.communicationType': 'email' } }));
    expect(ids(index.match(received))).toEqual(['sms']);
  });

  it('shares compiled filter conditions between endpoints, evaluated per event', () => {
    const index = new SubscriptionIndex();
    index.upsert(
      endpoint({ id: 'a', filter: { 'data.communicationType': 'sms', type: 'message.received' } }),
    );
    index.upsert(
      endpoint({ id: 'b', filter: { type: 'message.received', 'data.communicationType': 'sms' } }),
    );
    index.upsert(endpoint({ id: 'c', filter: { 'data.communicationType': 'email' } }));
    // sms, message.received, email
    expect(index.conditionCount).toBe(3);
    expect(ids(index.match(received))).toEqual(['a', 'b']);
    expect(ids(index.match({ ...received, data: { communicationType: 'email' } }))).toEqual(['c']);
    expect(index.match({ ...received, type: 'message.sent' }).map((e) => e.id)).toEqual([]);
    index.remove('a');
    expect(index.conditionCount).toBe(3);
    expect(ids(index.match(received))).toEqual(['b']);
    index.upsert(endpoint({ id: 'b', version: 2 }));
    expect(index.conditionCount).toBe(1);
  });

  it('replaces an endpoint on a newer version and ignores older ones', () => {
    const index = new SubscriptionIndex();
    index.upsert(endpoint({ id: 'a', version: 2, eventTypes: ['lead.created'] }));
    expect(index.upsert(endpoint({ id: 'a', version: 1, eventTypes: ['*'] }))).toBe('stale');
    expect(index.match(received)).toEqual([]);
    expect(index.upsert(endpoint({ id: 'a', version: 3, eventTypes: ['message.*'] }))).toBe('applied');
    expect(ids(index.match(received))).toEqual(['a']);
    expect(index.match({ ...received, type: 'lead.created' })).toEqual([]);
  });

  it('never matches disabled endpoints, and re-enabling brings them back', () => {
    const index = new SubscriptionIndex();
    index.upsert(endpoint({ id: 'a', disabled: true }));
    expect(index.match(received)).toEqual([]);
    index.upsert(endpoint({ id: 'a', version: 2 }));
    expect(ids(index.match(received))).toEqual(['a']);
    index.upsert(endpoint({ id: 'a', version: 3, disabled: true }));
    expect(index.match(received)).toEqual([]);
  });

  it('removes on tombstone', () => {
    const index = new SubscriptionIndex();
    index.upsert(endpoint({ id: 'a' }));
    index.remove('a');
    index.remove('missing');
    expect(index.match(received)).toEqual([]);
    expect(index.endpointCount).toBe(0);
  });

  it('holds but never matches an endpoint whose filter or pattern is invalid', () => {
    const index = new SubscriptionIndex();
    expect(index.upsert(endpoint({ id: 'bad-filter', filter: { $where: 'true' } }))).toBe('rejected');
    expect(index.upsert(endpoint({ id: 'bad-pattern', eventTypes: ['message*'] }))).toBe('rejected');
    expect(index.match(received)).toEqual([]);
    expect(index.upsert(endpoint({ id: 'bad-filter', version: 2 }))).toBe('applied');
    expect(ids(index.match(received))).toEqual(['bad-filter']);
  });

  it('agrees with the filter itself on every event (the equality pre-check only ever rejects what sift rejects)', () => {
    const filters: Record<string, unknown>[] = [
      { 'data.communicationType': 'sms' },
      { 'data.communicationType': { $eq: 'sms' } },
      { 'data.to': '+1' },
      { 'data.to.0': '+1' },
      { 'data.lines.id': 'l1' },
      { 'data.meta.level': 3 },
      { 'data.flag': true },
      { 'data.communicationType.kind': 'sms' },
      { 'data.communicationType': 'sms', 'data.lineId': { $in: ['l1', 'l2'] } },
      { 'data.missing': 'x' },
      { 'data.lineId': { $in: ['l1', 'l9'] } },
      { 'data.to': { $in: ['+2'] } },
      { 'data.meta.level': { $in: [3, '4'] } },
      { 'data.flag': { $in: [false] } },
    ];
    const datas: unknown[] = [
      {
        communicationType: 'sms',
        to: ['+1', '+2'],
        lines: [{ id: 'l1' }, { id: 'l2' }],
        meta: { level: 3 },
        flag: true,
        lineId: 'l1',
      },
      {
        communicationType: 'email',
        to: '+1',
        lines: { id: 'l1' },
        meta: { level: '3' },
        flag: 'true',
        lineId: 'l3',
      },
      { communicationType: ['sms', 'mms'], to: [], lines: [], meta: null, flag: false },
      { communicationType: { kind: 'sms' }, to: null },
      {},
    ];
    const index = new SubscriptionIndex();
    filters.forEach((filter, i) => index.upsert(endpoint({ id: `f${i}`, filter })));
    for (const data of datas) {
      const event = { ...received, data };
      const matched = new Set(index.match(event).map((e) => e.id));
      filters.forEach((filter, i) =>
        expect([JSON.stringify(filter), JSON.stringify(data), matched.has(`f${i}`)]).toEqual([
          JSON.stringify(filter),
          JSON.stringify(data),
          compileFilter(filter)(event),
        ]),
      );
    }
  });
});
