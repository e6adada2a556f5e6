import {
  type DeliveryRequested,
  type EndpointSnapshot,
  EventValidator,
  KafkaHeaders,
  Topics,
} from '@herald/contracts';
import type { OutgoingRecord } from '@herald/kafka';
import { SubscriptionIndex } from '@herald/matching';
import { DedupeWindow } from '../../dedupe/dedupe-window';
import { deliveryIdFor } from '@herald/payloads';
import { RouteDomainEventsUseCase } from './route-domain-events.usecase';
import type { DomainRecord } from './route-domain-events.command';
import { MarkerTrail } from '../../dedupe/marker-trail';

const validator = new EventValidator();
const limits = {
  HERALD_MAX_EVENT_BYTES: 2_048,
  HERALD_ROUTER_MAX_RECORDS_PER_SEND: 3,
  HERALD_ROUTER_MAX_BYTES_PER_SEND: 1_000_000,
  HERALD_MAX_DEAD_LETTER_BYTES: 4_096,
};

function snapshot(id: string, overrides: Partial<EndpointSnapshot> = {}): EndpointSnapshot {
  return {
    id,
    workspaceId: 'ws_1',
    version: 1,
    url: 'https://example.test',
    eventTypes: ['message.*'],
    filter: null,
    description: null,
    payloadProfile: 'herald',
    signatureScheme: 'standard-webhooks',
    signatureHeader: null,
    secrets: [],
    headers: {},
    timeoutMs: 1_000,
    maxInFlight: 1,
    rateLimitPerSecond: null,
    retrySchedule: null,
    fifo: false,
    disabled: false,
    disabledReason: null,
    createdAt: '',
    updatedAt: '',
    ...overrides,
  };
}

function event(id: string, extra: Record<string, unknown> = {}) {
  return {
    id,
    type: 'message.received',
    workspaceId: 'ws_1',
    occurredAt: '2026-03-20T14:00:00.000Z',
    data: { id: `msg_${id}`, conversationId: 'cnv_1', communicationType: 'sms' },
    ...extra,
  };
}

let offset = 0;
function record(value: Buffer | string | null, headers: DomainRecord['headers'] = {}): DomainRecord {
  return {
    key: Buffer.from('k'),
    value: typeof value === 'string' ? Buffer.from(value) : value,
    headers,
    offset: String(offset++),
    timestamp: '1774015205000',
  };
}

function setup(options: { failSends?: number; limits?: Partial<typeof limits> } = {}) {
  const index = new SubscriptionIndex();
  // Catch-up is covered in route-domain-events.catch-up.spec.ts.
  const feed = { catchUp: async () => true };
  const dedupe = new DedupeWindow(86_400_000, 1_000);
  const sends: OutgoingRecord[][] = [];
  let failures = options.failSends ?? 0;
  const producer = {
    send: jest.fn(async (records: OutgoingRecord[]) => {
      if (failures > 0) {
        failures -= 1;
        throw new Error('broker unavailable');
      }
      if (records.length) sends.push(records);
    }),
  };
  const useCase = new RouteDomainEventsUseCase(
    index,
    dedupe,
    validator,
    producer as never,
    { ...limits, ...options.limits } as never,
    feed,
    new MarkerTrail(),
  );
  const all = () => sends.flat();
  const deliveries = () => all().filter((r) => r.topic === Topics.deliveries);
  const invalid = () => all().filter((r) => r.topic === Topics.eventsInvalid);
  return { index, dedupe, useCase, producer, sends, all, deliveries, invalid };
}

const run = (useCase: RouteDomainEventsUseCase, records: DomainRecord[]) =>
  useCase.execute({ topic: 'domain.messages', partition: 2, records });

describe('RouteDomainEventsUseCase', () => {
  it('produces one DeliveryRequested per matching endpoint, keyed by endpoint id', async () => {
    const t = setup();
    t.index.upsert(snapshot('ep_a'));
    t.index.upsert(snapshot('ep_b', { payloadProfile: 'nexadesk' }));
    t.index.upsert(snapshot('ep_c', { eventTypes: ['lead.*'] }));
    const summary = await run(t.useCase, [
      record(JSON.stringify(event('e1')), { traceparent: Buffer.from('00-abc-def-01') }),
    ]);
    expect(summary).toEqual({ deliveries: 2, invalid: 0, duplicates: 0, unmatched: 0 });
    const out = t.deliveries();
    expect(out.map((r) => r.key).sort()).toEqual(['ep_a', 'ep_b']);
    const a = JSON.parse(out.find((r) => r.key === 'ep_a')!.value as string) as DeliveryRequested;
    expect(a).toMatchObject({
      kind: 'DeliveryRequested',
      deliveryId: deliveryIdFor('ep_a', 'e1', 'ws_1'),
      endpointId: 'ep_a',
      eventId: 'e1',
      eventType: 'message.received',
      attempt: 1,
      trigger: 'event',
    });
    expect(JSON.parse(a.payload)).toEqual(event('e1'));
    const b = JSON.parse(out.find((r) => r.key === 'ep_b')!.value as string) as DeliveryRequested;
    expect(JSON.parse(b.payload)).toMatchObject({ event: 'message.received', workspace_id: 'ws_1' });
    for (const r of out) {
      expect(r.headers).toEqual({
        [KafkaHeaders.traceparent]: '00-abc-def-01',
        [KafkaHeaders.originTraceparent]: '00-abc-def-01',
        [KafkaHeaders.endpointVersion]: '1',
      });
    }
  });

  it('dead-letters every kind of bad input with the original bytes, headers and a reason, and routes the good ones', async () => {
    const t = setup();
    t.index.upsert(snapshot('ep_a'));
    const bad: [DomainRecord, string][] = [
      [record(null), 'empty'],
      [record('{"id":'), 'invalid_json'],
      [record(Buffer.from([0x7b, 0xff, 0xfe, 0x7d])), 'invalid_utf8'],
      [record(JSON.stringify({ ...event('x'), workspaceId: undefined })), 'schema_violation'],
      [record(JSON.stringify(event('y', { type: 'invoice.paid' }))), 'unknown_type'],
      [
        record(
          JSON.stringify(event('z', { data: { id: 'm', conversationId: 'c', pad: 'x'.repeat(3_000) } })),
        ),
        'too_large',
      ],
    ];
    const good = record(JSON.stringify(event('ok')));
    const summary = await run(t.useCase, [...bad.map(([r]) => r), good]);
    expect(summary).toEqual({ deliveries: 1, invalid: 6, duplicates: 0, unmatched: 0 });
    const letters = t.invalid();
    expect(letters.map((r) => r.headers?.[KafkaHeaders.reasonCode])).toEqual(bad.map(([, reason]) => reason));
    letters.forEach((letter, i) => {
      const original = bad[i][0];
      expect(letter.value).toEqual(original.value);
      expect(letter.key).toBe('k');
      const description = JSON.parse(letter.headers![KafkaHeaders.invalidEvent] as string);
      expect(description).toMatchObject({
        kind: 'InvalidEvent',
        reason: bad[i][1],
        sourceTopic: 'domain.messages',
        sourcePartition: 2,
        sourceOffset: original.offset,
        truncated: false,
      });
      expect(description.message.length).toBeGreaterThan(5);
    });
    expect(t.deliveries()).toHaveLength(1);
  });

  it('keeps the original headers on a dead letter', async () => {
    const t = setup();
    await run(t.useCase, [record('nope', { traceparent: Buffer.from('00-1-2-01'), source: 'crm' })]);
    expect(t.invalid()[0].headers).toMatchObject({ traceparent: Buffer.from('00-1-2-01'), source: 'crm' });
  });

  it('suppresses duplicates within a batch and across batches, per workspace', async () => {
    const t = setup();
    t.index.upsert(snapshot('ep_a'));
    t.index.upsert(snapshot('ep_w2', { workspaceId: 'ws_2' }));
    const first = await run(t.useCase, [
      record(JSON.stringify(event('e1'))),
      record(JSON.stringify(event('e1'))),
    ]);
    expect(first).toMatchObject({ deliveries: 1, duplicates: 1 });
    const again = await run(t.useCase, [
      record(JSON.stringify(event('e1'))),
      record(JSON.stringify(event('e1', { workspaceId: 'ws_2' }))),
    ]);
    expect(again).toMatchObject({ deliveries: 1, duplicates: 1 });
    expect(t.deliveries().map((r) => r.key)).toEqual(['ep_a', 'ep_w2']);
  });

  it('produces one dedupe marker for the batch, only after the deliveries are acknowledged', async () => {
    const t = setup();
    t.index.upsert(snapshot('ep_a'));
    await run(t.useCase, [record(JSON.stringify(event('e1'))), record(JSON.stringify(event('e2')))]);
    expect(t.sends).toHaveLength(2);
    expect(t.sends[0].map((r) => r.topic)).toEqual([Topics.deliveries, Topics.deliveries]);
    expect(t.sends[1]).toHaveLength(1);
    expect(t.sends[1][0].topic).toBe(Topics.dedupe);
    expect(JSON.parse(t.sends[1][0].value as string)).toMatchObject({
      keys: [DedupeWindow.key('ws_1', 'e1'), DedupeWindow.key('ws_1', 'e2')],
    });
  });

  it('produces no dedupe marker for a batch without new events', async () => {
    const t = setup();
    await run(t.useCase, [record('nope')]);
    expect(t.sends.flat().filter((r) => r.topic === Topics.dedupe)).toEqual([]);
  });

  it('remembers nothing when the produce fails, so the retried batch fans out again', async () => {
    const t = setup({ failSends: 1 });
    t.index.upsert(snapshot('ep_a'));
    const batch = [record(JSON.stringify(event('e1')))];
    await expect(run(t.useCase, batch)).rejects.toThrow('broker unavailable');
    expect(t.dedupe.size).toBe(0);
    expect(await run(t.useCase, batch)).toMatchObject({ deliveries: 1, duplicates: 0 });
  });

  it('splits a large fan-out across produce requests', async () => {
    const t = setup();
    for (let i = 0; i < 7; i++) t.index.upsert(snapshot(`ep_${i}`));
    await run(t.useCase, [record(JSON.stringify(event('e1')))]);
    expect(t.sends.map((s) => s.length)).toEqual([3, 3, 1, 1]);
    expect(t.deliveries()).toHaveLength(7);
  });

  it('counts an event without subscribers as unmatched and still remembers it', async () => {
    const t = setup();
    expect(await run(t.useCase, [record(JSON.stringify(event('e1')))])).toMatchObject({
      unmatched: 1,
      deliveries: 0,
    });
    expect(t.dedupe.has(DedupeWindow.key('ws_1', 'e1'), Date.now())).toBe(true);
  });

  it('cuts an oversized dead letter to the dead-letter cap and says so', async () => {
    const t = setup();
    const huge = Buffer.alloc(5_000, 0x61);
    await run(t.useCase, [record(huge)]);
    const letter = t.invalid()[0];
    expect((letter.value as Buffer).length).toBe(4_096);
    expect(JSON.parse(letter.headers![KafkaHeaders.invalidEvent] as string)).toMatchObject({
      reason: 'too_large',
      truncated: true,
    });
  });

  it('dead-letters hostile nesting instead of failing the batch', async () => {
    const t = setup();
    t.index.upsert(snapshot('ep_a'));
    const deep = JSON.stringify(event('deep')).replace(
      '"communicationType":"sms"',
      `"nest":${'['.repeat(200)}${']'.repeat(200)}`,
    );
    const summary = await run(t.useCase, [record(deep), record(JSON.stringify(event('ok')))]);
    expect(summary).toMatchObject({ invalid: 1, deliveries: 1 });
    expect(JSON.parse(t.invalid()[0].headers![KafkaHeaders.invalidEvent] as string)).toMatchObject({
      reason: 'schema_violation',
      message: 'the event is nested deeper than 64 levels',
    });
  });

  it('dead-letters an event whose payload cannot be rendered, queueing none of its deliveries', async () => {
    const t = setup();
    t.index.upsert(snapshot('ep_a'));
    const broken = snapshot('ep_b', { eventTypes: ['message.received'] });
    Object.defineProperty(broken, 'payloadProfile', {
      get: () => {
        throw new Error('profile unavailable');
      },
    });
    t.index.upsert(broken);
    const summary = await run(t.useCase, [
      record(JSON.stringify(event('e1'))),
      record(JSON.stringify(event('e2', { type: 'message.sent' }))),
    ]);
    expect(summary).toMatchObject({ invalid: 1, deliveries: 1 });
    expect(t.invalid()[0].headers![KafkaHeaders.reasonCode]).toBe('unprocessable');
    expect(t.deliveries().every((r) => JSON.parse(r.value as string).eventId === 'e2')).toBe(true);
    expect(t.dedupe.has(DedupeWindow.key('ws_1', 'e1'), Date.now())).toBe(false);
  });

  it('keeps every produce request under the byte cap', async () => {
    const t = setup({
      limits: { HERALD_ROUTER_MAX_RECORDS_PER_SEND: 1_000, HERALD_ROUTER_MAX_BYTES_PER_SEND: 6_000 },
    });
    for (let i = 0; i < 40; i++) t.index.upsert(snapshot(`ep_${i}`));
    await run(t.useCase, [record(JSON.stringify(event('e1')))]);
    const deliverySends = t.sends.filter((send) => send[0].topic === Topics.deliveries);
    const sizes = deliverySends.map((send) =>
      send.reduce((sum, r) => sum + Buffer.byteLength(r.value as string), 0),
    );
    const total = sizes.reduce((a, b) => a + b, 0);
    expect(deliverySends.length).toBeGreaterThanOrEqual(Math.ceil(total / 6_000));
    for (const size of sizes) expect(size).toBeLessThanOrEqual(6_000);
    expect(t.deliveries()).toHaveLength(40);
  });
});
