import { randomUUID } from 'node:crypto';
import type { RecordMetadata } from 'kafkajs';
import { type DeliveryRequested, type EndpointSnapshot, KafkaHeaders, Topics } from '@herald/contracts';
import {
  KafkaProbe,
  sampleEndpointSnapshot,
  sampleMessageReceived,
  type HeraldProcess,
} from '@herald/testing';
import { startPipeline, type Pipeline } from '../support/pipeline';

/*
 * The router through Kafka: domain records in, DeliveryRequested and dead letters out. Snapshots are
 * published straight to herald.subscriptions, as the API would, and events follow at once: the router
 * catches its index up before each batch. Ids are random per run so the file also runs against a
 * long-lived cluster.
 */
const run = randomUUID().slice(0, 8);
const MAX_EVENT_BYTES = 16_384;

let pipeline: Pipeline;
let herald: HeraldProcess;
let probe: KafkaProbe;

function snapshot(
  id: string,
  workspaceId: string,
  overrides: Partial<EndpointSnapshot> = {},
): EndpointSnapshot {
  return sampleEndpointSnapshot({ id, workspaceId, ...overrides });
}

function message(workspaceId: string, communicationType = 'sms', id = randomUUID()) {
  return sampleMessageReceived(workspaceId, {
    id,
    data: { communicationType, to: ['+17025550000'], text: 'hi' },
  });
}

const publish = (endpoint: EndpointSnapshot | { id: string; tombstone: true }) =>
  probe.send(Topics.subscriptions, [
    { key: endpoint.id, value: 'tombstone' in endpoint ? null : JSON.stringify(endpoint) },
  ]);

/** All on partition 0, so records are routed in the order sent and a sentinel proves what came before. */
const produce = (...events: (object | Buffer | string | null)[]) =>
  probe.send(
    'domain.messages',
    events.map((value) => ({
      key: 'k',
      partition: 0,
      value:
        value === null || Buffer.isBuffer(value) || typeof value === 'string' ? value : JSON.stringify(value),
    })),
  );

function deliveries(eventId: string): DeliveryRequested[] {
  return probe
    .on(Topics.deliveries)
    .map((record) => JSON.parse(record.value!.toString()) as DeliveryRequested)
    .filter((delivery) => delivery.eventId === eventId);
}

const endpointsReached = (eventId: string) =>
  deliveries(eventId)
    .map((d) => d.endpointId)
    .sort();
const waitForDeliveries = (eventId: string, count: number) =>
  probe.waitFor(
    `${count} deliveries of ${eventId}`,
    () => deliveries(eventId).length >= count && deliveries(eventId),
  );
/** After this, the router has produced every delivery it ever will for the `count` records `sent`. */
const routedPast = async (sent: RecordMetadata[], count = 1) => {
  const last = BigInt(sent.find((m) => m.partition === 0)!.baseOffset!) + BigInt(count - 1);
  await probe.settledPast('herald-router', 'domain.messages', 0, last.toString(), Topics.deliveries);
};

beforeAll(async () => {
  pipeline = await startPipeline({
    label: 'router-e2e',
    environment: { withPostgres: false },
    // A short session lets the restarted router rejoin quickly on the mock cluster, which does not
    // end a departed member's session early.
    heraldEnv: { HERALD_MAX_EVENT_BYTES: String(MAX_EVENT_BYTES), HERALD_ROUTER_SESSION_TIMEOUT: '6s' },
    services: ['router'],
    beforeHerald: async ({ env }) => {
      probe = new KafkaProbe(env.kafkaBrokers);
      await probe.start([Topics.deliveries, Topics.eventsInvalid]);
      // Exists before the router starts: the index is rebuilt from the topic.
      await publish(snapshot(`ep-pre-${run}`, `ws-pre-${run}`, { eventTypes: ['message.received'] }));
    },
  });
  ({ herald } = pipeline);
});

afterAll(async () => {
  await probe?.stop();
  await pipeline?.stop();
});

it('routes to an endpoint that existed before start-up, with the rendered body and trace headers', async () => {
  const event = message(`ws-pre-${run}`);
  const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
  await probe.send('domain.messages', [{ key: 'k', value: JSON.stringify(event), headers: { traceparent } }]);
  const [delivery] = await waitForDeliveries(event.id, 1);
  expect(delivery).toMatchObject({
    endpointId: `ep-pre-${run}`,
    attempt: 1,
    trigger: 'event',
    eventType: 'message.received',
  });
  expect(JSON.parse(delivery.payload)).toEqual(event);
  const record = probe
    .on(Topics.deliveries)
    .find((r) => JSON.parse(r.value!.toString()).eventId === event.id)!;
  expect(record.key).toBe(`ep-pre-${run}`);
  expect(record.headers[KafkaHeaders.traceparent]?.toString()).toBe(traceparent);
  expect(record.headers[KafkaHeaders.originTraceparent]?.toString()).toBe(traceparent);
});

it('dead-letters every kind of bad input with its bytes, headers and reason, while good events behind it flow on', async () => {
  const ws = `ws-bad-${run}`;
  await publish(snapshot(`ep-bad-${run}`, ws));
  const good = message(ws);
  const tooLarge = JSON.stringify(message(ws, 'sms')).replace(
    '"hi"',
    JSON.stringify('x'.repeat(MAX_EVENT_BYTES)),
  );
  const bad: [string | Buffer | null, string][] = [
    [null, 'empty'],
    [`{"id":"${run}-json",`, 'invalid_json'],
    [Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x7d]), 'invalid_utf8'],
    [JSON.stringify({ ...message(ws), workspaceId: undefined }), 'schema_violation'],
    [JSON.stringify({ ...message(ws), data: { id: 'msg' } }), 'schema_violation'],
    [JSON.stringify({ ...message(ws), type: 'invoice.paid' }), 'unknown_type'],
    [tooLarge, 'too_large'],
  ];
  await probe.send(
    'domain.messages',
    [...bad.map(([value]) => value), JSON.stringify(good)].map((value) => ({
      key: `bad-${run}`,
      partition: 1,
      value,
      headers: { 'x-source': `probe-${run}` },
    })),
  );
  await waitForDeliveries(good.id, 1);
  const letters = await probe.waitFor('all dead letters', () => {
    const mine = probe
      .on(Topics.eventsInvalid)
      .filter((r) => r.headers['x-source']?.toString() === `probe-${run}`);
    return mine.length >= bad.length && mine;
  });
  expect(letters.map((l) => l.headers[KafkaHeaders.reasonCode]?.toString())).toEqual(
    bad.map(([, reason]) => reason),
  );
  letters.forEach((letter, i) => {
    const original = bad[i][0];
    expect(letter.value ?? null).toEqual(original === null ? null : Buffer.from(original));
    expect(letter.key).toBe(`bad-${run}`);
    const description = JSON.parse(letter.headers[KafkaHeaders.invalidEvent]!.toString());
    expect(description).toMatchObject({
      kind: 'InvalidEvent',
      reason: bad[i][1],
      sourceTopic: 'domain.messages',
      sourcePartition: 1,
    });
    expect(typeof description.message).toBe('string');
  });
  const metrics = await (await fetch(`${herald.apiUrl}/metrics`)).text();
  expect(metrics).toMatch(/herald_invalid_events_total\{reason="invalid_utf8"\} 1/);
  expect(metrics).toMatch(/herald_invalid_events_total\{reason="schema_violation"\} 2/);
});

it('applies subscription changes live: create, change, stale version, disable, delete', async () => {
  const ws = `ws-live-${run}`;
  const live = `ep-live-${run}`;
  const sentinel = `ep-sentinel-${run}`;
  await publish(snapshot(sentinel, ws));
  await publish(
    snapshot(live, ws, { eventTypes: ['message.*'], filter: { 'data.communicationType': 'sms' } }),
  );

  const created = message(ws, 'sms');
  await produce(created);
  await waitForDeliveries(created.id, 2);
  expect(endpointsReached(created.id)).toEqual([live, sentinel]);

  await publish(
    snapshot(live, ws, {
      version: 2,
      eventTypes: ['message.received'],
      filter: { 'data.communicationType': 'email' },
    }),
  );
  const sms = message(ws, 'sms');
  const email = message(ws, 'email');
  await produce(sms, email);
  await waitForDeliveries(email.id, 2);
  expect(endpointsReached(sms.id)).toEqual([sentinel]);
  expect(endpointsReached(email.id)).toEqual([live, sentinel]);

  await publish(snapshot(live, ws, { version: 1, eventTypes: ['*'] }));
  await publish(snapshot(live, ws, { version: 3, disabled: true, disabledReason: 'test' }));
  const whileDisabled = message(ws, 'email');
  await routedPast(await produce(whileDisabled));
  expect(endpointsReached(whileDisabled.id)).toEqual([sentinel]);

  await publish(snapshot(live, ws, { version: 4, eventTypes: ['*'] }));
  const enabled = message(ws, 'sms');
  await produce(enabled);
  await waitForDeliveries(enabled.id, 2);

  await publish({ id: live, tombstone: true });
  const deleted = message(ws, 'sms');
  await routedPast(await produce(deleted));
  expect(endpointsReached(deleted.id)).toEqual([sentinel]);
});

it('suppresses a duplicate event id per workspace, also across a router restart', async () => {
  const ws = `ws-dup-${run}`;
  await publish(snapshot(`ep-dup-a-${run}`, ws));
  await publish(snapshot(`ep-dup-b-${run}`, ws, { payloadProfile: 'messagedesk' }));
  const event = message(ws);
  await produce(event, event);
  const sentinel = message(ws);
  await produce(sentinel);
  await waitForDeliveries(sentinel.id, 2);
  expect(deliveries(event.id)).toHaveLength(2);
  const ids = new Set(deliveries(event.id).map((d) => d.deliveryId));
  expect(ids.size).toBe(2);

  await herald.stop();
  await herald.start();
  const afterRestart = message(ws);
  const repeated = await produce({ ...event, occurredAt: new Date().toISOString() }, afterRestart);
  await waitForDeliveries(afterRestart.id, 2);
  await routedPast(repeated, 2);
  expect(deliveries(event.id)).toHaveLength(2);
  // The same id in another workspace is a different event.
  const elsewhere = { ...event, workspaceId: `ws-pre-${run}` };
  await produce(elsewhere);
  await probe.waitFor('delivery in the other workspace', () =>
    deliveries(event.id).find((d) => d.workspaceId === `ws-pre-${run}`),
  );
});
