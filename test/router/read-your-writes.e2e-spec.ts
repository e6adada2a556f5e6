import { randomBytes } from 'node:crypto';
import type { Producer } from 'kafkajs';
import { type DeliveryRequested, KafkaHeaders, Topics } from '@herald/contracts';
import {
  KafkaTap,
  sampleEndpointSnapshot,
  sampleMessageReceived,
  type HeraldApiClient,
  type TappedRecord,
  type WebhookReceiver,
} from '@herald/testing';
import { startPipeline, type Pipeline } from '../support/pipeline';

/*
 * Read-your-writes through the API: once the API has answered a change to an endpoint, an event
 * produced right after it is routed (and dispatched) against that change. Nothing here waits for
 * subscriptions to propagate; each event follows the API's answer at once.
 */
let pipeline: Pipeline;
let receiver: WebhookReceiver;
let producer: Producer;
let tap: KafkaTap<TappedRecord>;
let api: HeraldApiClient;
let workspaceId: string;

beforeAll(async () => {
  pipeline = await startPipeline({
    label: 'read-your-writes-e2e',
    services: ['api', 'router', 'dispatcher'],
  });
  ({ receiver, producer } = pipeline);
  tap = await KafkaTap.recording(pipeline.env.kafkaBrokers, [Topics.deliveries], 'ryw');
  ({ workspaceId, client: api } = await pipeline.admin.provisionWorkspace(
    `ryw-${randomBytes(3).toString('hex')}`,
  ));
});

afterAll(async () => {
  await tap?.stop();
  await pipeline?.stop();
});

const endpointsPath = () => `/v1/workspaces/${workspaceId}/endpoints`;

/** Produces one message.received event (acks from every replica) and returns its id. */
async function produceEvent(data: Record<string, unknown>, type = 'message.received'): Promise<string> {
  const event = { ...sampleMessageReceived(workspaceId, { data }), type };
  await producer.send({
    topic: 'domain.messages',
    acks: -1,
    messages: [{ key: event.id, value: JSON.stringify(event) }],
  });
  return event.id;
}

function routed(): { delivery: DeliveryRequested; record: TappedRecord }[] {
  return tap.records.map((record) => ({
    delivery: JSON.parse(record.value!.toString()) as DeliveryRequested,
    record,
  }));
}

it('delivers an event produced right after each of 20 endpoints was created', async () => {
  const created: { id: string; path: string; eventId: string }[] = [];
  for (let i = 0; i < 20; i++) {
    const path = `/created-${i}`;
    const endpoint = await api.createEndpoint(workspaceId, {
      url: receiver.url(path),
      eventTypes: ['message.received'],
      // Each event matches only the endpoint created just before it.
      filter: { 'data.text': `created-${i}` },
    });
    const eventId = await produceEvent({ text: `created-${i}` });
    created.push({ id: endpoint.id, path, eventId });
  }
  for (const { path, eventId } of created) {
    const [request] = await receiver.waitFor(1, (r) => r.path === path, 30_000);
    expect(request.body.toString('utf8')).toContain(eventId);
  }
});

it('matches an endpoint created while the routers are still reading another tenant’s bulk import', async () => {
  // Another workspace's 20,000 snapshots, as a bulk import writes them: the routers' followers take
  // a while to read them, while the API answers a create at once.
  const other = `ryw-bulk-${randomBytes(3).toString('hex')}`;
  const chunk = (n: number) =>
    producer.send({
      topic: Topics.subscriptions,
      acks: -1,
      messages: Array.from({ length: 1_000 }, (_, i) => {
        const snapshot = sampleEndpointSnapshot({ id: `${other}-${n}-${i}`, workspaceId: other });
        return { key: snapshot.id, value: JSON.stringify(snapshot) };
      }),
    });
  // The import goes on while the user creates an endpoint: the first part is written, the rest
  // is being written.
  await chunk(0);
  const rest = Promise.all(Array.from({ length: 19 }, (_, n) => chunk(n + 1)));
  await api.createEndpoint(workspaceId, {
    url: receiver.url('/after-bulk'),
    eventTypes: ['message.received'],
    filter: { 'data.text': 'after-bulk' },
  });
  const eventId = await produceEvent({ text: 'after-bulk' });
  await rest;
  const [request] = await receiver.waitFor(1, (r) => r.path === '/after-bulk', 30_000);
  expect(request.body.toString('utf8')).toContain(eventId);
});

it('routes each event against the change the API answered just before it', async () => {
  // Matches every message event: its delivery of an event proves the router got to that event.
  const sentinel = await api.createEndpoint(workspaceId, {
    url: receiver.url('/sentinel'),
    eventTypes: ['message.*'],
    filter: { 'data.text': 'changes' },
  });
  const live = await api.createEndpoint(workspaceId, {
    url: receiver.url('/live'),
    eventTypes: ['message.received'],
    filter: { 'data.text': 'changes', 'data.communicationType': 'sms' },
  });
  const base = `${endpointsPath()}/${live.id}`;
  const sentinelGot = (eventId: string) =>
    routed().some(({ delivery }) => delivery.endpointId === sentinel.id && delivery.eventId === eventId);
  const expected: { eventId: string; delivered: boolean; step: string; version: number }[] = [];
  let version = live.version as number;
  // Each event is produced the moment the API has answered the change before it. The next change
  // waits until the event was routed (the sentinel's delivery) and delivered, so each event has one
  // state to be judged against, not a later one the router or dispatcher may already have read.
  const step = async (
    name: string,
    change: () => Promise<{ version?: number } | undefined>,
    event: Record<string, unknown>,
    delivered: boolean,
  ) => {
    const answer = await change();
    if (answer?.version !== undefined) version = answer.version;
    const { type, ...data } = event;
    const eventId = await produceEvent({ text: 'changes', ...data }, (type as string) ?? 'message.received');
    expected.push({ eventId, delivered, step: name, version });
    const deadline = Date.now() + 30_000;
    while (!sentinelGot(eventId)) {
      if (Date.now() > deadline) throw new Error(`${name}: the event was not routed`);
      await new Promise((r) => setTimeout(r, 20));
    }
    // The dispatcher, too, judges the delivery on the version it was routed against (not an older
    // one it has not caught up with): it reaches the receiver, never dead-lettered as not found or
    // disabled. Waited for before the next change, which the dispatcher would rightly apply.
    if (delivered) {
      await receiver
        .waitFor(1, (r) => r.path === '/live' && r.body.toString('utf8').includes(eventId), 30_000)
        .catch((error: Error) => Promise.reject(new Error(`${name}: ${error.message}`)));
    }
  };
  const none = async () => undefined;
  const patch = (body: Record<string, unknown>) => () => api.call<{ version: number }>('PATCH', base, body);
  const email = { 'data.text': 'changes', 'data.communicationType': 'email' };
  const sms = { 'data.text': 'changes', 'data.communicationType': 'sms' };

  await step('created', none, { communicationType: 'sms' }, true);
  for (let round = 0; round < 3; round++) {
    const at = `round ${round}: `;
    await step(`${at}filter to email`, patch({ filter: email }), { communicationType: 'sms' }, false);
    await step(`${at}email after the filter change`, none, { communicationType: 'email' }, true);
    await step(
      `${at}types to message.sent`,
      patch({ eventTypes: ['message.sent'] }),
      { communicationType: 'email' },
      false,
    );
    await step(`${at}message.sent`, none, { communicationType: 'email', type: 'message.sent' }, true);
    await step(
      `${at}types back, filter off`,
      patch({ eventTypes: ['message.received'], filter: { 'data.text': 'changes' } }),
      { communicationType: 'sms' },
      true,
    );
    await step(`${at}disabled`, patch({ disabled: true }), { communicationType: 'sms' }, false);
    await step(`${at}enabled`, patch({ disabled: false }), { communicationType: 'sms' }, true);
    await step(`${at}filter back to sms`, patch({ filter: sms }), { communicationType: 'email' }, false);
  }
  await step('deleted', () => api.call('DELETE', base), { communicationType: 'sms' }, false);

  // Every event was routed (the sentinel got each); drained, the tap holds every delivery the router
  // produced for the live endpoint.
  await tap.readToEnd(Topics.deliveries);
  const toLive = routed().filter(({ delivery }) => delivery.endpointId === live.id);
  const outcome = expected.map(({ step: name, eventId }) => {
    const found = toLive.find(({ delivery }) => delivery.eventId === eventId);
    return {
      step: name,
      delivered: found !== undefined,
      ...(found ? { version: Number(found.record.headers[KafkaHeaders.endpointVersion]) } : {}),
    };
  });
  // Each delivery is stamped with the version the API answered just before its event.
  expect(outcome).toEqual(
    expected.map(({ step: name, delivered, version: v }) => ({
      step: name,
      delivered,
      ...(delivered ? { version: v } : {}),
    })),
  );
});
