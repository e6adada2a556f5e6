import { randomUUID } from 'node:crypto';
import { type DeliveryRequested, Topics } from '@herald/contracts';
import {
  KafkaProbe,
  sampleEndpointSnapshot,
  sampleMessageReceived,
  type HeraldProcess,
  type TestEnvironment,
} from '@herald/testing';
import { startPipeline, type Pipeline } from '../support/pipeline';

// More than the 120 s e2e default (test/support/e2e-setup.ts): the broker outage and the recovery after it.
jest.setTimeout(150_000);

/** The router alone through a broker outage: every event is still fanned out, each with one delivery id. */
let pipeline: Pipeline;
let env: TestEnvironment;
let herald: HeraldProcess;
let probe: KafkaProbe;
/** How long the only broker stays down: the fault itself, not a wait for anything. */
const OUTAGE_MS = 4_000;
const run = randomUUID().slice(0, 8);
const workspaceId = `ws-outage-${run}`;

beforeAll(async () => {
  pipeline = await startPipeline({
    label: 'router-outage-e2e',
    environment: { withPostgres: false },
    // A consumer left stuck by the outage is restarted sooner than in production.
    heraldEnv: { KAFKA_STALL_TIMEOUT_MS: '4000', KAFKA_STALL_CHECK_INTERVAL_MS: '1000' },
    services: ['router'],
    beforeHerald: async (started) => {
      probe = new KafkaProbe(started.env.kafkaBrokers);
      await probe.start([]);
      const endpoint = sampleEndpointSnapshot({
        id: `ep-outage-${run}`,
        workspaceId,
        eventTypes: ['message.received'],
      });
      await probe.send(Topics.subscriptions, [{ key: endpoint.id, value: JSON.stringify(endpoint) }]);
    },
  });
  ({ env, herald } = pipeline);
});

afterAll(async () => {
  // This file is about routing, not shutdown.
  await herald?.kill();
  await probe?.stop();
  await pipeline?.stop();
});

const message = () => sampleMessageReceived(workspaceId);

async function requestedDeliveries(): Promise<number> {
  const text = await (await fetch(`${herald.apiUrl}/metrics`)).text();
  return Number(/^herald_deliveries_requested_total (\d+)/m.exec(text)?.[1] ?? 0);
}

it('fans out every event produced before and after a broker outage', async () => {
  if (!env.cluster) {
    console.warn('skipped: broker control needs the cluster the harness starts (KAFKA_BROKERS is set)');
    return;
  }
  const events = Array.from({ length: 40 }, message);
  const send = (slice: typeof events) =>
    probe.send(
      'domain.messages',
      slice.map((e) => ({ key: e.id, value: JSON.stringify(e) })),
    );
  await send(events.slice(0, 20));
  // The only broker is killed and stays down for the outage, then restarts on its data.
  const cluster = env.cluster;
  await cluster.outage(1, OUTAGE_MS);
  await send(events.slice(20));

  let requested = 0;
  await probe
    .waitFor('40 deliveries requested', async () => (requested = await requestedDeliveries()) >= 40, 120_000)
    .catch((error: Error) => {
      // A router that never recovers is the bug this file hunts: show what it said.
      throw new Error(
        `${error.message} (${requested} so far); router output:\n${herald.output.join('').slice(-6000)}`,
      );
    });
  expect(requested).toBeGreaterThanOrEqual(40);

  // Read back with a fresh consumer, so only the router's recovery is under test.
  const reader = new KafkaProbe(env.kafkaBrokers);
  await reader.start([Topics.deliveries]);
  try {
    const ids = new Set<string>(events.map((e) => e.id));
    const mine = () =>
      reader
        .on(Topics.deliveries)
        .map((r) => JSON.parse(r.value!.toString()) as DeliveryRequested)
        .filter((d) => ids.has(d.eventId));
    await reader.waitFor(
      'every event on herald.deliveries',
      () => new Set(mine().map((d) => d.eventId)).size === 40,
    );
    const perEvent = new Map<string, Set<string>>();
    for (const d of mine()) perEvent.set(d.eventId, (perEvent.get(d.eventId) ?? new Set()).add(d.deliveryId));
    // A batch replayed after the outage may be produced twice, but always with the same delivery id.
    for (const deliveryIds of perEvent.values()) expect(deliveryIds.size).toBe(1);
  } finally {
    await reader.stop();
  }
});
