import { randomUUID } from 'node:crypto';
import type { Kafka, Producer } from 'kafkajs';
import {
  Topics,
  type AttemptRecorded,
  type DeliveryRequested,
  type EndpointSnapshot,
} from '@herald/contracts';
import { HeraldApiClient, KafkaTap, WebhookReceiver, eventually } from '@herald/testing';
import { startPipeline, type Pipeline } from '../support/pipeline';

/**
 * The management API against real Postgres and Kafka: workspaces, keys, endpoints and their snapshots
 * on herald.subscriptions, and delivery logs read back from the projector's projections. Only the API
 * and projector run, so the delivery records this test produces are the only ones.
 */
describe('management API', () => {
  let pipeline: Pipeline;
  let receiver: WebhookReceiver;
  let kafka: Kafka;
  let producer: Producer;
  let tap: KafkaTap<{ key: string; value: EndpointSnapshot | null }>;
  let admin: HeraldApiClient;
  let api: HeraldApiClient;
  let workspaceId: string;

  beforeAll(async () => {
    pipeline = await startPipeline({ label: 'api-test', migrate: true, services: ['api', 'projector'] });
    ({ receiver, kafka, producer, admin } = pipeline);
    tap = await KafkaTap.start(kafka, [Topics.subscriptions], 'api-test', ({ message }) => ({
      key: message.key!.toString(),
      value:
        message.value && message.value.length > 0
          ? (JSON.parse(message.value.toString()) as EndpointSnapshot)
          : null,
    }));
    ({ workspaceId, client: api } = await admin.provisionWorkspace(`ws-${randomUUID().slice(0, 6)}`));
  });

  afterAll(async () => {
    await tap?.stop();
    await pipeline?.stop();
  });

  it('creates an endpoint, shows its secret once, and publishes its snapshot to herald.subscriptions', async () => {
    const endpoint = await api.createEndpoint(workspaceId, {
      url: receiver.url('/slice'),
      eventTypes: ['message.*'],
      filter: { 'data.communicationType': 'sms' },
      description: 'first slice',
    });
    expect(endpoint.secret).toMatch(/^whsec_/);
    expect(endpoint.version).toBe(1);

    const snapshot = await eventually(
      async () => tap.records.find((s) => s.key === endpoint.id)?.value ?? undefined,
      10_000,
    );
    expect(snapshot).toMatchObject({ id: endpoint.id, workspaceId, version: 1, url: receiver.url('/slice') });
    expect(snapshot.secrets).toHaveLength(1);
    // Sealed with the master key: the plain secret never travels.
    expect(JSON.stringify(snapshot)).not.toContain(endpoint.secret);

    const read = await api.call<Record<string, unknown>>(
      'GET',
      `/v1/workspaces/${workspaceId}/endpoints/${endpoint.id}`,
    );
    expect(read).not.toHaveProperty('secret');
    expect(read.url).toBe(receiver.url('/slice'));
  });

  it('returns the existing endpoint when the same URL is registered again', async () => {
    const first = await api.createEndpoint(workspaceId, {
      url: receiver.url('/again'),
      eventTypes: ['lead.created'],
    });
    const again = await api.request<Record<string, unknown>>(
      'POST',
      `/v1/workspaces/${workspaceId}/endpoints`,
      {
        url: receiver.url('/again'),
        eventTypes: ['lead.created'],
      },
    );
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.id);
    expect(again.body).not.toHaveProperty('secret');
  });

  it('updates and deletes endpoints with new versions and a tombstone', async () => {
    const endpoint = await api.createEndpoint(workspaceId, {
      url: receiver.url('/change'),
      eventTypes: ['lead.*'],
    });
    const patched = await api.call<{ version: number; disabled: boolean; eventTypes: string[] }>(
      'PATCH',
      `/v1/workspaces/${workspaceId}/endpoints/${endpoint.id}`,
      { eventTypes: ['lead.created', 'contact.*'], disabled: true },
    );
    expect(patched).toMatchObject({ version: 2, disabled: true, eventTypes: ['lead.created', 'contact.*'] });
    await eventually(
      async () => tap.records.find((s) => s.key === endpoint.id && s.value?.version === 2) ?? undefined,
      10_000,
    );

    const removed = await api.request('DELETE', `/v1/workspaces/${workspaceId}/endpoints/${endpoint.id}`);
    expect(removed.status).toBe(204);
    await eventually(
      async () => tap.records.find((s) => s.key === endpoint.id && s.value === null) ?? undefined,
      10_000,
    );
    expect((await api.request('GET', `/v1/workspaces/${workspaceId}/endpoints/${endpoint.id}`)).status).toBe(
      404,
    );

    // Messages.dev style: the id in the body.
    const other = await api.createEndpoint(workspaceId, {
      url: receiver.url('/by-body'),
      eventTypes: ['lead.*'],
    });
    expect(
      (await api.request('DELETE', `/v1/workspaces/${workspaceId}/endpoints`, { id: other.id })).status,
    ).toBe(204);
    expect((await api.request('GET', `/v1/workspaces/${workspaceId}/endpoints/${other.id}`)).status).toBe(
      404,
    );
  });

  it('reads deliveries and attempts back once the projector has written them', async () => {
    const endpoint = await api.createEndpoint(workspaceId, {
      url: receiver.url('/logs'),
      eventTypes: ['message.*'],
    });
    const eventId = randomUUID();
    const deliveryId = randomUUID();
    const now = Date.now();
    const request: DeliveryRequested = {
      kind: 'DeliveryRequested',
      deliveryId,
      workspaceId,
      endpointId: endpoint.id,
      eventId,
      eventType: 'message.received',
      occurredAt: new Date(now - 1000).toISOString(),
      attempt: 1,
      payload: JSON.stringify({ id: eventId, type: 'message.received', data: { text: 'hi' } }),
      requestedAt: new Date(now).toISOString(),
      createdAt: new Date(now).toISOString(),
      trigger: 'event',
    };
    const attempt = (n: number, status: number, outcome: AttemptRecorded['outcome']): AttemptRecorded => ({
      kind: 'AttemptRecorded',
      attemptId: randomUUID(),
      deliveryId,
      workspaceId,
      endpointId: endpoint.id,
      eventId,
      eventType: 'message.received',
      attempt: n,
      startedAt: new Date(now + n * 100).toISOString(),
      durationMs: 12 + n,
      request: {
        url: receiver.url('/logs'),
        method: 'POST',
        headers: { 'webhook-id': deliveryId },
        bodyRef: deliveryId,
      },
      response: { status, headers: {}, body: status === 200 ? 'ok' : 'unavailable', bodyTruncated: false },
      remoteIp: '127.0.0.1',
      errorClass: status === 200 ? null : 'http_status',
      errorMessage: null,
      outcome,
      nextAttemptAt: outcome === 'retry_scheduled' ? new Date(now + 5000).toISOString() : null,
      traceId: null,
      spanId: null,
      deliveryCreatedAt: request.createdAt,
    });
    // The attempts arrive before the request they belong to: the projection must not care.
    await producer.send({
      topic: Topics.attempts,
      messages: [attempt(2, 200, 'succeeded'), attempt(1, 503, 'retry_scheduled')].map((a) => ({
        key: deliveryId,
        value: JSON.stringify(a),
      })),
    });
    await producer.send({
      topic: Topics.deliveries,
      messages: [{ key: endpoint.id, value: JSON.stringify(request) }],
    });

    const byEvent = await eventually(async () => {
      const res = await api.call<{
        data: { id: string; status: string; attemptCount: number; trigger: string | null }[];
      }>('GET', `/v1/workspaces/${workspaceId}/events/${eventId}/deliveries`);
      // Both topics projected: the attempts (count, status) and the request (trigger, with the payload).
      const found = res.data.find(
        (d) =>
          d.id === deliveryId && d.attemptCount === 2 && d.status === 'succeeded' && d.trigger === 'event',
      );
      return found;
    }, 20_000);
    expect(byEvent.status).toBe('succeeded');

    const detail = await api.call<{
      payload: string;
      trigger: string;
      attempts: { attempt: number; response: { status: number }; durationMs: number }[];
    }>('GET', `/v1/workspaces/${workspaceId}/deliveries/${deliveryId}`);
    expect(detail.payload).toBe(request.payload);
    expect(detail.trigger).toBe('event');
    expect(detail.attempts.map((a) => [a.attempt, a.response.status, a.durationMs])).toEqual([
      [1, 503, 13],
      [2, 200, 14],
    ]);

    const list = await api.call<{ data: { id: string }[] }>(
      'GET',
      `/v1/workspaces/${workspaceId}/deliveries?endpointId=${endpoint.id}&status=succeeded&eventType=message.received`,
    );
    expect(list.data.map((d) => d.id)).toEqual([deliveryId]);
  });
});
