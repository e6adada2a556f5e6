import { randomUUID } from 'node:crypto';
import type { RecordMetadata } from 'kafkajs';
import { type DeliveryRequested, type EndpointSnapshot, Topics } from '@herald/contracts';
import { KafkaProbe, sampleEndpointSnapshot, sampleMessageReceived } from '@herald/testing';
import { startPipeline, type Pipeline } from '../support/pipeline';

/*
 * Issue 17, item 1: a workspace's $regex filters cannot stall a router partition. Endpoints whose
 * filters backtrack catastrophically on V8 ((a|a)+$, (\w|\d)+$, ...) meet an event whose text is the
 * attack string; another workspace's event follows on the same partition and must still be routed.
 * On the old engine the router never finishes the first event and the second one never arrives.
 */
const run = randomUUID().slice(0, 8);
const hostile = `ws-hostile-${run}`;
const victim = `ws-victim-${run}`;
/** Close to HERALD_MAX_EVENT_BYTES (256 KiB by default) with the envelope around it. */
const ATTACK_TEXT = `${'a'.repeat(250_000)}!`;
const PATTERNS = ['(a|a)+$', '(\\w|\\d)+$', '((a+))+$', `${'a*'.repeat(40)}b`, '(a+)+$'];

let pipeline: Pipeline;
let probe: KafkaProbe;

const snapshot = (id: string, workspaceId: string, overrides: Partial<EndpointSnapshot> = {}) =>
  sampleEndpointSnapshot({ id, workspaceId, eventTypes: ['message.received'], ...overrides });

function message(workspaceId: string, text: string) {
  return sampleMessageReceived(workspaceId, {
    id: randomUUID(),
    data: { communicationType: 'sms', to: ['+17025550000'], text },
  });
}

const publish = (endpoint: EndpointSnapshot) =>
  probe.send(Topics.subscriptions, [{ key: endpoint.id, value: JSON.stringify(endpoint) }]);

/** All on partition 0: the victim's event is read after the attack. */
const produce = (...events: object[]) =>
  probe.send(
    'domain.messages',
    events.map((event) => ({ key: 'k', partition: 0, value: JSON.stringify(event) })),
  );

const deliveries = (eventId: string) =>
  probe
    .on(Topics.deliveries)
    .map((record) => JSON.parse(record.value!.toString()) as DeliveryRequested)
    .filter((delivery) => delivery.eventId === eventId);

beforeAll(async () => {
  pipeline = await startPipeline({
    label: 'router-regex-e2e',
    environment: { withPostgres: false },
    services: ['router'],
    beforeHerald: async ({ env }) => {
      probe = new KafkaProbe(env.kafkaBrokers);
      await probe.start([Topics.deliveries, Topics.eventsInvalid]);
    },
  });
});

afterAll(async () => {
  await probe?.stop();
  await pipeline?.stop();
});

it('routes the next workspace promptly after an attack text meets filters that backtrack on V8', async () => {
  for (const [index, regex] of PATTERNS.entries()) {
    await publish(
      snapshot(`ep-hostile-${index}-${run}`, hostile, { filter: { 'data.text': { $regex: regex } } }),
    );
  }
  await publish(snapshot(`ep-victim-${run}`, victim));

  const attack = message(hostile, ATTACK_TEXT);
  const innocent = message(victim, 'hi');
  const matching = message(hostile, 'aaab');
  const started = Date.now();
  const sent: RecordMetadata[] = await produce(attack, innocent, matching);

  await probe.waitFor('the victim workspace delivery', () => deliveries(innocent.id).length === 1);
  // Generous: the five filters take milliseconds on RE2; V8 would not finish at all.
  expect(Date.now() - started).toBeLessThan(20_000);

  // The filters still mean what they say: (\w|\d)+$ and a*…a*b match "aaab"; nothing matches the attack.
  await probe.waitFor('the hostile workspace deliveries', () => deliveries(matching.id).length === 2);
  const last = BigInt(sent.find((m) => m.partition === 0)!.baseOffset!) + 2n;
  await probe.settledPast('herald-router', 'domain.messages', 0, last.toString(), Topics.deliveries);
  expect(deliveries(attack.id)).toEqual([]);
  expect(
    deliveries(matching.id)
      .map((d) => d.endpointId)
      .sort(),
  ).toEqual([`ep-hostile-1-${run}`, `ep-hostile-3-${run}`]);
  // Routed, not dead-lettered as too large.
  expect(probe.on(Topics.eventsInvalid).filter((r) => r.value?.toString().includes(attack.id))).toEqual([]);
});
