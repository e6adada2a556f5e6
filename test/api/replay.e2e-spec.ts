import { randomUUID } from 'node:crypto';
import type { Producer } from 'kafkajs';
import { Topics, type AttemptRecorded, type DeliveryRequested } from '@herald/contracts';
import { HeraldApiClient, KafkaTap, eventually } from '@herald/testing';
import type { JobBody } from '../support/api-bodies';
import { startPipeline, type Pipeline } from '../support/pipeline';

/**
 * Replays: retry one delivery, recover an endpoint's failures in a window, backfill a new endpoint from
 * the domain topics. Only the API and projector run, so the DeliveryRequested records they produce are
 * read straight off herald.deliveries.
 */
describe('replay endpoints', () => {
  let pipeline: Pipeline;
  let producer: Producer;
  let tap: KafkaTap<DeliveryRequested>;
  let api: HeraldApiClient;
  let workspaceId: string;
  let endpointId: string;

  beforeAll(async () => {
    pipeline = await startPipeline({ label: 'replay-test', migrate: true, services: ['api', 'projector'] });
    ({ producer } = pipeline);
    const kafka = pipeline.kafka;
    tap = await KafkaTap.start(
      kafka,
      [Topics.deliveries],
      'replay-test',
      ({ message }) => JSON.parse(message.value!.toString()) as DeliveryRequested,
    );
    const admin = pipeline.admin;
    ({ workspaceId, client: api } = await admin.provisionWorkspace(`replay-${randomUUID().slice(0, 6)}`));
    endpointId = (
      await api.createEndpoint(workspaceId, { url: 'http://127.0.0.1:9/replay', eventTypes: ['message.*'] })
    ).id;
  });

  afterAll(async () => {
    await tap?.stop();
    await pipeline?.stop();
  });

  const path = (rest: string) => `/v1/workspaces/${workspaceId}${rest}`;

  /** A delivery whose attempts all failed (or the last succeeded), requested at `at`. */
  async function seedDelivery(
    at: Date,
    outcome: 'failed' | 'succeeded',
    attempts = 3,
  ): Promise<DeliveryRequested> {
    const request: DeliveryRequested = {
      kind: 'DeliveryRequested',
      deliveryId: randomUUID(),
      workspaceId,
      endpointId,
      eventId: randomUUID(),
      eventType: 'message.received',
      occurredAt: at.toISOString(),
      attempt: 1,
      payload: JSON.stringify({ id: randomUUID(), text: 'exact bytes ✓' }),
      requestedAt: at.toISOString(),
      createdAt: at.toISOString(),
      trigger: 'event',
    };
    const records: AttemptRecorded[] = Array.from({ length: attempts }, (_, i) => {
      const last = i === attempts - 1;
      const ok = last && outcome === 'succeeded';
      return {
        kind: 'AttemptRecorded',
        attemptId: randomUUID(),
        deliveryId: request.deliveryId,
        workspaceId,
        endpointId,
        eventId: request.eventId,
        eventType: request.eventType,
        attempt: i + 1,
        startedAt: new Date(at.getTime() + i * 1000).toISOString(),
        durationMs: 5,
        request: {
          url: 'http://127.0.0.1:9/replay',
          method: 'POST',
          headers: {},
          bodyRef: request.deliveryId,
        },
        response: { status: ok ? 200 : 500, headers: {}, body: '', bodyTruncated: false },
        remoteIp: null,
        errorClass: ok ? null : 'http_status',
        errorMessage: null,
        outcome: ok ? 'succeeded' : last ? 'exhausted' : 'retry_scheduled',
        nextAttemptAt: null,
        traceId: null,
        spanId: null,
        deliveryCreatedAt: request.createdAt,
      };
    });
    await producer.send({
      topic: Topics.deliveries,
      messages: [{ key: endpointId, value: JSON.stringify(request) }],
    });
    await producer.send({
      topic: Topics.attempts,
      messages: records.map((r) => ({ key: r.deliveryId, value: JSON.stringify(r) })),
    });
    return request;
  }

  /** Waits until the delivery shows `status` and its request is projected too (topics project independently). */
  async function waitForStatus(deliveryId: string, status: string) {
    return eventually(async () => {
      const res = await api.request<{ status: string; attemptCount: number; payload: string | null }>(
        'GET',
        path(`/deliveries/${deliveryId}`),
      );
      return res.status === 200 && res.body.status === status && res.body.payload !== null
        ? res.body
        : undefined;
    }, 20_000);
  }

  async function waitForJob(jobId: string): Promise<JobBody> {
    return eventually(async () => {
      const job = await api.call<JobBody>('GET', path(`/jobs/${jobId}`));
      return job.state === 'succeeded' || job.state === 'failed' ? job : undefined;
    }, 60_000);
  }

  it('retries one delivery now with its stored bytes and the next attempt number', async () => {
    const seeded = await seedDelivery(new Date(), 'failed', 5);
    await waitForStatus(seeded.deliveryId, 'failed');
    const res = await api.request<{ deliveryId: string; attempt: number }>(
      'POST',
      path(`/deliveries/${seeded.deliveryId}/retry`),
    );
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ deliveryId: seeded.deliveryId, attempt: 6 });
    const retry = await eventually(
      async () => tap.records.find((r) => r.deliveryId === seeded.deliveryId && r.trigger === 'manual-retry'),
      10_000,
    );
    expect(retry).toMatchObject({ attempt: 6, payload: seeded.payload, eventId: seeded.eventId, endpointId });
    // The projection shows it is being retried again.
    await waitForStatus(seeded.deliveryId, 'retrying');
    expect((await api.request('POST', path(`/deliveries/${randomUUID()}/retry`))).status).toBe(404);
  });

  it("recovers an endpoint's failed deliveries in a window as a job with progress", async () => {
    const base = Date.now() - 3_600_000;
    const inside = [];
    for (let i = 0; i < 3; i += 1) inside.push(await seedDelivery(new Date(base + i * 60_000), 'failed'));
    const outside = await seedDelivery(new Date(base - 600_000), 'failed');
    const succeeded = await seedDelivery(new Date(base + 30_000), 'succeeded');
    for (const d of [...inside, outside]) await waitForStatus(d.deliveryId, 'failed');
    await waitForStatus(succeeded.deliveryId, 'succeeded');

    const bad = await api.request('POST', path(`/endpoints/${endpointId}/recover`), { since: 'later' });
    expect(bad.status).toBe(400);
    const started = await api.request<JobBody>('POST', path(`/endpoints/${endpointId}/recover`), {
      since: new Date(base - 1).toISOString(),
      until: new Date(base + 10 * 60_000).toISOString(),
    });
    expect(started.status).toBe(202);
    const job = await waitForJob(started.body.id);
    expect(job).toMatchObject({ state: 'succeeded', total: 3, processed: 3, produced: 3, percent: 100 });
    const recovered = await eventually(async () => {
      const found = tap.records.filter((r) => r.trigger === 'recover');
      return found.length >= 3 ? found : undefined;
    }, 10_000);
    expect(recovered.map((r) => r.deliveryId).sort()).toEqual(inside.map((d) => d.deliveryId).sort());
    expect(recovered.every((r) => r.attempt === 4)).toBe(true);
  });

  it('backfills a new endpoint from the events still in the domain topics since a time', async () => {
    const since = new Date(Date.now() - 1_000);
    const event = (type: string, ws: string, channel: string) => ({
      id: randomUUID(),
      type,
      workspaceId: ws,
      occurredAt: new Date().toISOString(),
      data: {
        id: `msg_${randomUUID().slice(0, 6)}`,
        conversationId: 'cnv_1',
        communicationType: channel,
        from: '+17025551111',
        to: ['+17025550100'],
        text: 'backfill me',
        outbound: false,
        createdAt: new Date().toISOString(),
      },
    });
    const matching = [
      event('message.received', workspaceId, 'sms'),
      event('message.received', workspaceId, 'sms'),
    ];
    const others = [
      event('message.received', 'another-workspace', 'sms'),
      event('message.received', workspaceId, 'email'),
      event('message.sent', workspaceId, 'sms'),
    ];
    await producer.send({
      topic: 'domain.messages',
      messages: [...matching, ...others].map((e) => ({ key: e.id, value: JSON.stringify(e) })),
    });
    // Unreadable or schema-violating records are not backfilled, as the router would not fan them out.
    const invalid = event('message.received', workspaceId, 'sms');
    delete (invalid.data as Partial<typeof invalid.data>).conversationId;
    await producer.send({
      topic: 'domain.messages',
      messages: [
        { key: 'junk', value: 'not json' },
        { key: invalid.id, value: JSON.stringify(invalid) },
      ],
    });

    const endpoint = await api.createEndpoint(workspaceId, {
      url: 'http://127.0.0.1:9/backfill',
      eventTypes: ['message.received'],
      filter: { 'data.communicationType': 'sms' },
      payloadProfile: 'messagedesk',
    });
    const started = await api.request<JobBody>('POST', path(`/endpoints/${endpoint.id}/backfill`), {
      since: since.toISOString(),
    });
    expect(started.status).toBe(202);
    const job = await waitForJob(started.body.id);
    expect(job).toMatchObject({ state: 'succeeded', produced: 2, percent: 100 });
    expect(job.processed).toBe(job.total);
    expect(job.total).toBeGreaterThanOrEqual(6);

    const backfilled = await eventually(async () => {
      const found = tap.records.filter((r) => r.trigger === 'backfill' && r.endpointId === endpoint.id);
      return found.length >= 2 ? found : undefined;
    }, 10_000);
    expect(backfilled.map((r) => r.eventId).sort()).toEqual(matching.map((e) => e.id).sort());
    const body = JSON.parse(backfilled[0].payload) as { object: string; name: string };
    expect(body).toMatchObject({ object: 'Event', name: 'MessageReceived' });
    expect(backfilled.every((r) => r.attempt === 1)).toBe(true);
  });
});
