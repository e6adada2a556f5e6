import { randomBytes } from 'node:crypto';
import type { Producer } from 'kafkajs';
import { Webhook } from 'standardwebhooks';
import {
  HeraldApiClient,
  WebhookReceiver,
  eventually,
  sampleMessageReceived,
  type TestEnvironment,
} from '@herald/testing';
import { startPipeline, type Pipeline } from '../support/pipeline';

/** How long the only broker stays down: the fault itself, not a wait for anything. */
const OUTAGE_MS = 4_000;

/**
 * The thin slice on real infrastructure: an endpoint created through the API, a domain event on
 * Kafka, a Standard Webhooks POST at the receiver, and the attempt read back through the API.
 */
describe('first delivery, end to end', () => {
  let pipeline: Pipeline;
  let env: TestEnvironment;
  let receiver: WebhookReceiver;
  let producer: Producer;
  let api: HeraldApiClient;
  let workspaceId: string;

  beforeAll(async () => {
    pipeline = await startPipeline({ label: 'first-delivery-test' });
    ({ env, receiver, producer } = pipeline);
    ({ workspaceId, client: api } = await pipeline.admin.provisionWorkspace(
      `first-${randomBytes(3).toString('hex')}`,
    ));
  });

  afterAll(async () => {
    await pipeline?.stop();
  });

  function messageReceived() {
    return sampleMessageReceived(workspaceId, {
      data: {
        from: '+17025551111',
        to: ['+17025550100'],
        text: 'Hello from the first delivery test',
        outbound: false,
        createdAt: new Date().toISOString(),
      },
    });
  }

  async function createEndpoint(path: string) {
    const endpoint = await api.createEndpoint(workspaceId, {
      url: receiver.url(path),
      eventTypes: ['message.received'],
    });
    // No wait: the router and dispatcher catch up with herald.subscriptions before each batch.
    return endpoint;
  }

  it('delivers a domain event as a signed POST and records the attempt', async () => {
    const endpoint = await createEndpoint('/first');
    const event = messageReceived();
    const traceparent = `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`;
    await producer.send({
      topic: 'domain.messages',
      messages: [{ key: event.id, value: JSON.stringify(event), headers: { traceparent } }],
    });

    const [request] = await receiver.waitFor(1, (r) => r.path === '/first');
    const verified = new Webhook(endpoint.secret).verify(request.body.toString('utf8'), {
      'webhook-id': String(request.headers['webhook-id']),
      'webhook-timestamp': String(request.headers['webhook-timestamp']),
      'webhook-signature': String(request.headers['webhook-signature']),
    }) as { id: string; type: string; data: unknown };
    expect(verified.id).toBe(event.id);
    expect(verified.type).toBe('message.received');
    expect(verified.data).toEqual(event.data);
    // The receiver's trace continues the producer's trace.
    expect(String(request.headers.traceparent)).toContain(traceparent.split('-')[1]);

    const delivery = await eventually(async () => {
      const res = await api.call<{ data: { id: string; status: string }[] }>(
        'GET',
        `/v1/workspaces/${workspaceId}/events/${event.id}/deliveries`,
      );
      return res.data.find((d) => d.status === 'succeeded');
    });
    const detail = await api.call<{
      attempts: { attempt: number; response: { status: number } | null; durationMs: number }[];
    }>('GET', `/v1/workspaces/${workspaceId}/deliveries/${delivery.id}`);
    expect(detail.attempts).toHaveLength(1);
    expect(detail.attempts[0].response?.status).toBe(200);
    expect(detail.attempts[0].durationMs).toBeGreaterThanOrEqual(0);
  });

  it('an endpoint answering 410 Gone ends disabled in the API, says why, and gets nothing more', async () => {
    // The dispatcher asks (herald.endpoint-commands), the API applies and publishes: one writer.
    receiver.respondWith((req, res) => {
      res.writeHead(req.path === '/gone' ? 410 : 200).end();
    });
    const gone = await createEndpoint('/gone');
    const sentinel = await createEndpoint('/after-gone');
    const first = messageReceived();
    await producer.send({
      topic: 'domain.messages',
      messages: [{ key: first.id, value: JSON.stringify(first) }],
    });

    const endpoint = await eventually(async () => {
      const view = await api.call<{ disabled: boolean; disabledReason: string | null; version: number }>(
        'GET',
        `/v1/workspaces/${workspaceId}/endpoints/${gone.id}`,
      );
      return view.disabled ? view : undefined;
    });
    expect(endpoint.disabledReason).toContain('410');
    const events = await eventually(async () => {
      const list = await api.call<{ data: { type: string }[] }>(
        'GET',
        `/v1/workspaces/${workspaceId}/endpoints/${gone.id}/operational-events`,
      );
      return list.data.some((e) => e.type === 'endpoint.disabled') ? list.data : undefined;
    });
    expect(events.filter((e) => e.type === 'endpoint.disabled')).toHaveLength(1);

    // An event after the API answered with the disabled endpoint reaches the other endpoint only.
    const later = messageReceived();
    await producer.send({
      topic: 'domain.messages',
      messages: [{ key: later.id, value: JSON.stringify(later) }],
    });
    await receiver.waitFor(1, (r) => r.path === '/after-gone' && r.body.toString().includes(later.id));
    const deliveries = await eventually(async () => {
      const res = await api.call<{ data: { endpointId: string; status: string }[] }>(
        'GET',
        `/v1/workspaces/${workspaceId}/events/${later.id}/deliveries`,
      );
      return res.data.some((d) => d.status === 'succeeded') ? res.data : undefined;
    });
    // Endpoints of the other tests subscribe too; the disabled one must not be among them.
    const reached = deliveries.map((d) => d.endpointId);
    expect(reached).toContain(sentinel.id);
    expect(reached).not.toContain(gone.id);
    expect(receiver.matching((r) => r.path === '/gone')).toHaveLength(1);
    receiver.respondWith((_req, res) => {
      res.writeHead(200).end('ok');
    });
  });

  it('still delivers every event when a broker is stopped and started during delivery', async () => {
    if (!env.cluster) {
      console.warn('skipped: broker control needs the cluster the harness starts (KAFKA_BROKERS is set)');
      return;
    }
    await createEndpoint('/outage');
    let answered = 0;
    receiver.onRequest((r) => {
      if (r.path === '/outage') answered += 1;
    });
    const events = Array.from({ length: 40 }, () => messageReceived());
    await producer.send({
      topic: 'domain.messages',
      messages: events.slice(0, 20).map((e) => ({ key: e.id, value: JSON.stringify(e) })),
    });
    // The only broker is killed and stays down for the outage, then restarts on its data.
    const cluster = env.cluster;
    await cluster.outage(1, OUTAGE_MS);
    await producer.send({
      topic: 'domain.messages',
      messages: events.slice(20).map((e) => ({ key: e.id, value: JSON.stringify(e) })),
    });

    // At-least-once: an attempt cut off by the outage may be repeated, so wait for every id.
    const received = await receiver.waitForEach(
      events.map((e) => e.id),
      (r) => (r.path === '/outage' ? (JSON.parse(r.body.toString('utf8')) as { id: string }).id : undefined),
      90_000,
    );
    expect(received.length).toBeGreaterThanOrEqual(events.length);
    expect(answered).toBe(receiver.matching((r) => r.path === '/outage').length);
  });
});
