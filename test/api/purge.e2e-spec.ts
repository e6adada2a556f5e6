import { randomUUID } from 'node:crypto';
import type { Producer } from 'kafkajs';
import { Topics, type AttemptRecorded, type DeliveryRequested } from '@herald/contracts';
import { HeraldApiClient, eventually } from '@herald/testing';
import type { ErrorBody } from '../support/api-bodies';
import { startPipeline, type Pipeline } from '../support/pipeline';

type Removed = { reason: string; at: string } | null;
type Response = { status: number; body: string | null; headers: Record<string, string> | null } | null;
interface DeliveryBody {
  attemptCount: number;
  payload: string | null;
  payloadRemoved: Removed;
  attempts: { id: string; response: Response; responseRemoved: Removed }[];
}
interface PurgeJob {
  id: string;
  kind: string;
  state: string;
  result: { purged: { deliveries: number; attempts: number; bytes: number } } | null;
}

type Seeded = { request: DeliveryRequested; attempts: AttemptRecorded[] };

const ATTEMPTS = 2;

/**
 * Purge on request through the API: by event, by endpoint, before a time. Only the API and the
 * projector run; the delivery log is fed with DeliveryRequested and AttemptRecorded records on their
 * topics, as the dispatcher would write them, so the request times (what `before` selects) are the
 * test's. A purge batch is 2 deliveries, so the time purge takes several.
 */
describe('purge on request', () => {
  let pipeline: Pipeline;
  let producer: Producer;
  let api: HeraldApiClient;
  let workspaceId: string;
  let endpointA: string, endpointB: string;
  let otherApi: HeraldApiClient, otherWorkspace: string, otherEndpoint: string;
  const recent: Record<'e1a' | 'e1b' | 'e2a' | 'e2b', Seeded> = {} as never;
  let old: Seeded[] = [];
  let otherSameEvent: Seeded, otherOld: Seeded;
  const e1 = `evt_${randomUUID()}`;
  const e2 = `evt_${randomUUID()}`;
  const oldAt = new Date(Date.now() - 2 * 3_600_000);

  beforeAll(async () => {
    pipeline = await startPipeline({
      label: 'purge-test',
      migrate: true,
      services: ['api', 'projector'],
      heraldEnv: { HERALD_PURGE_BATCH_SIZE: '2' },
    });
    ({ producer } = pipeline);
    ({ workspaceId, client: api } = await pipeline.admin.provisionWorkspace(
      `purge-${randomUUID().slice(0, 6)}`,
    ));
    endpointA = await newEndpoint(api, workspaceId, 'a');
    endpointB = await newEndpoint(api, workspaceId, 'b');
    ({ workspaceId: otherWorkspace, client: otherApi } = await pipeline.admin.provisionWorkspace(
      `purge-other-${randomUUID().slice(0, 6)}`,
    ));
    otherEndpoint = await newEndpoint(otherApi, otherWorkspace, 'o');

    const now = new Date();
    recent.e1a = await seed(workspaceId, endpointA, e1, now);
    recent.e1b = await seed(workspaceId, endpointB, e1, now);
    recent.e2a = await seed(workspaceId, endpointA, e2, now);
    recent.e2b = await seed(workspaceId, endpointB, e2, now);
    old = [];
    for (let i = 0; i < 3; i += 1) old.push(await seed(workspaceId, endpointA, `evt_${randomUUID()}`, oldAt));
    otherSameEvent = await seed(otherWorkspace, otherEndpoint, e1, now);
    otherOld = await seed(otherWorkspace, otherEndpoint, `evt_${randomUUID()}`, oldAt);
    for (const s of [...Object.values(recent), ...old]) await waitProjected(api, workspaceId, s);
    for (const s of [otherSameEvent, otherOld]) await waitProjected(otherApi, otherWorkspace, s);
  });

  afterAll(async () => {
    await pipeline?.stop();
  });

  async function newEndpoint(client: HeraldApiClient, ws: string, path: string): Promise<string> {
    return (await client.createEndpoint(ws, { url: `http://127.0.0.1:9/${path}`, eventTypes: ['message.*'] }))
      .id;
  }

  async function seed(ws: string, endpointId: string, eventId: string, at: Date): Promise<Seeded> {
    const request: DeliveryRequested = {
      kind: 'DeliveryRequested',
      deliveryId: randomUUID(),
      workspaceId: ws,
      endpointId,
      eventId,
      eventType: 'message.received',
      occurredAt: at.toISOString(),
      attempt: 1,
      payload: JSON.stringify({ id: eventId, text: `private words ${randomUUID()} ✓` }),
      requestedAt: at.toISOString(),
      createdAt: at.toISOString(),
      trigger: 'event',
    };
    const attempts = Array.from({ length: ATTEMPTS }, (_, i) => attemptOf(request, i + 1, at));
    await send(request, attempts);
    return { request, attempts };
  }

  function attemptOf(request: DeliveryRequested, attempt: number, at: Date): AttemptRecorded {
    const last = attempt === ATTEMPTS;
    return {
      kind: 'AttemptRecorded',
      attemptId: randomUUID(),
      deliveryId: request.deliveryId,
      workspaceId: request.workspaceId,
      endpointId: request.endpointId,
      eventId: request.eventId,
      eventType: request.eventType,
      attempt,
      startedAt: new Date(at.getTime() + attempt * 1000).toISOString(),
      durationMs: 5,
      request: { url: 'http://127.0.0.1:9/x', method: 'POST', headers: {}, bodyRef: request.deliveryId },
      response: {
        status: last ? 200 : 500,
        headers: { 'x-customer-ref': `cust_${randomUUID()}` },
        body: `customer reply ${randomUUID()}`,
        bodyTruncated: false,
      },
      remoteIp: '127.0.0.1',
      errorClass: last ? null : 'http_status',
      errorMessage: null,
      outcome: last ? 'succeeded' : 'retry_scheduled',
      deliveryCreatedAt: request.createdAt,
      nextAttemptAt: null,
      traceId: null,
      spanId: null,
    };
  }

  /** The request on its endpoint's key, then the attempts on their delivery's, as Herald writes them. */
  async function send(request: DeliveryRequested, attempts: AttemptRecorded[]): Promise<void> {
    const value = (r: object) => JSON.stringify(r);
    await producer.send({
      topic: Topics.deliveries,
      messages: [{ key: request.endpointId, value: value(request) }],
    });
    const messages = attempts.map((a) => ({ key: a.deliveryId, value: value(a) }));
    await producer.send({ topic: Topics.attempts, messages });
  }

  function getDelivery(client: HeraldApiClient, ws: string, id: string): Promise<DeliveryBody> {
    return client.call<DeliveryBody>('GET', `/v1/workspaces/${ws}/deliveries/${id}`);
  }

  /** Waits until both the request and every attempt of `s` are projected (the topics project apart). */
  async function waitProjected(client: HeraldApiClient, ws: string, s: Seeded): Promise<void> {
    await eventually(async () => {
      const res = await client.request<DeliveryBody>(
        'GET',
        `/v1/workspaces/${ws}/deliveries/${s.request.deliveryId}`,
      );
      return res.status === 200 && res.body.payload !== null && res.body.attemptCount === s.attempts.length
        ? true
        : undefined;
    }, 30_000);
  }

  async function purge(body: Record<string, unknown>): Promise<PurgeJob> {
    const started = await api.request<PurgeJob>('POST', `/v1/workspaces/${workspaceId}/purges`, body);
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ kind: 'purge' });
    return eventually(async () => {
      const job = await api.call<PurgeJob>('GET', `/v1/workspaces/${workspaceId}/jobs/${started.body.id}`);
      return job.state === 'running' ? undefined : job;
    }, 30_000);
  }

  const bytesOf = (s: Seeded) =>
    Buffer.byteLength(s.request.payload) +
    s.attempts.reduce((sum, a) => sum + Buffer.byteLength(a.response!.body), 0);

  function expectPurged(d: DeliveryBody, s: Seeded): void {
    expect(d.payload).toBeNull();
    expect(d.payloadRemoved).toEqual({ reason: 'purged', at: expect.any(String) });
    expect(d.attempts).toHaveLength(s.attempts.length);
    for (const a of d.attempts) {
      const sent = s.attempts.find((x) => x.attemptId === a.id);
      // The status stays (the delivery's summary reads it); the body and headers do not.
      expect(a.response).toEqual({
        status: sent!.response!.status,
        body: null,
        headers: null,
        bodyTruncated: false,
      });
      expect(a.responseRemoved).toEqual(d.payloadRemoved);
    }
  }

  function expectIntact(d: DeliveryBody, s: Seeded): void {
    expect(d.payload).toBe(s.request.payload);
    expect(d.payloadRemoved).toBeNull();
    for (const a of d.attempts) {
      const sent = s.attempts.find((x) => x.attemptId === a.id)!;
      expect(a.response).toEqual(sent.response);
      expect(a.responseRemoved).toBeNull();
    }
  }

  it('refuses a request without exactly one valid selector, naming the fields', async () => {
    const path = `/v1/workspaces/${workspaceId}/purges`;
    const none = await api.request<ErrorBody>('POST', path, {});
    expect(none.status).toBe(400);
    expect(none.body.error.fields?.map((f) => f.field)).toEqual(['eventId', 'endpointId', 'before']);
    const two = await api.request<ErrorBody>('POST', path, { eventId: e1, endpointId: endpointA });
    expect(two.status).toBe(400);
    expect(two.body.error.fields?.map((f) => f.field)).toEqual(['eventId', 'endpointId']);
    const future = await api.request<ErrorBody>('POST', path, {
      before: new Date(Date.now() + 3_600_000).toISOString(),
    });
    expect(future.status).toBe(400);
    expect(future.body.error.fields).toEqual([{ field: 'before', message: 'must not be in the future' }]);
    const unknown = await api.request<ErrorBody>('POST', path, { endpointId: randomUUID() });
    expect(unknown.status).toBe(404);
    expectIntact(await getDelivery(api, workspaceId, recent.e1a.request.deliveryId), recent.e1a);
  });

  it('refuses developer and viewer keys: only owner and admin keys purge', async () => {
    for (const role of ['developer', 'viewer']) {
      const key = await pipeline.admin.createApiKey(workspaceId, role, `purge-${role}`);
      const res = await api
        .withToken(key.key)
        .request<ErrorBody>('POST', `/v1/workspaces/${workspaceId}/purges`, { eventId: e1 });
      expect(res.status).toBe(403);
      expect(res.body.error.message).toBe(`the ${role} role cannot purge stored payloads`);
    }
    expectIntact(await getDelivery(api, workspaceId, recent.e1a.request.deliveryId), recent.e1a);
  });

  it("purges one event's bodies on every endpoint of the workspace, and nothing else", async () => {
    const job = await purge({ eventId: e1 });
    expect(job).toMatchObject({
      state: 'succeeded',
      endpointId: null,
      params: expect.objectContaining({ eventId: e1 }),
      total: 2,
      processed: 2,
      percent: 100,
      result: {
        purged: { deliveries: 2, attempts: 2 * ATTEMPTS, bytes: bytesOf(recent.e1a) + bytesOf(recent.e1b) },
      },
    });
    for (const s of [recent.e1a, recent.e1b])
      expectPurged(await getDelivery(api, workspaceId, s.request.deliveryId), s);
    for (const s of [recent.e2a, recent.e2b])
      expectIntact(await getDelivery(api, workspaceId, s.request.deliveryId), s);
    // Another workspace's delivery of the same event id is not this workspace's to erase.
    expectIntact(
      await getDelivery(otherApi, otherWorkspace, otherSameEvent.request.deliveryId),
      otherSameEvent,
    );
  });

  it('keeps purged bodies out when the projector reads the records again, and for a late attempt', async () => {
    const s = recent.e1a;
    const before = await getDelivery(api, workspaceId, s.request.deliveryId);
    // A replay of the original request and attempts, then an attempt that was still in flight.
    const late = attemptOf(s.request, ATTEMPTS + 1, new Date());
    await send(s.request, [...s.attempts, late]);
    // A later request on the same key (same partition) shows the replayed request was projected.
    const marker = await seed(workspaceId, endpointA, `evt_${randomUUID()}`, new Date());
    await waitProjected(api, workspaceId, marker);
    const after = await eventually(async () => {
      const d = await getDelivery(api, workspaceId, s.request.deliveryId);
      return d.attemptCount === ATTEMPTS + 1 ? d : undefined;
    }, 30_000);
    expect(after.payload).toBeNull();
    expect(after.payloadRemoved).toEqual(before.payloadRemoved);
    expectPurged(after, { ...s, attempts: [...s.attempts, late] });
  });

  it('refuses to retry a purged delivery with 409 PAYLOAD_REMOVED', async () => {
    const res = await api.request<ErrorBody & { error: { details?: unknown } }>(
      'POST',
      `/v1/workspaces/${workspaceId}/deliveries/${recent.e1b.request.deliveryId}/retry`,
    );
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('PAYLOAD_REMOVED');
    expect(res.body.error.message).toContain('purged');
    const retry = `/v1/workspaces/${workspaceId}/deliveries/${recent.e2a.request.deliveryId}/retry`;
    expect((await api.request('POST', retry)).status).toBe(202);
  });

  it("purges one endpoint's bodies, counting only what was still stored", async () => {
    const job = await purge({ endpointId: endpointB });
    // e1 on B was purged already: looked at, not counted again.
    expect(job).toMatchObject({
      state: 'succeeded',
      endpointId: endpointB,
      total: 2,
      processed: 2,
      result: { purged: { deliveries: 1, attempts: ATTEMPTS, bytes: bytesOf(recent.e2b) } },
    });
    expectPurged(await getDelivery(api, workspaceId, recent.e2b.request.deliveryId), recent.e2b);
    expectIntact(await getDelivery(api, workspaceId, recent.e2a.request.deliveryId), recent.e2a);
  });

  it("purges a deleted endpoint's deliveries, which stay in the log", async () => {
    const gone = await newEndpoint(api, workspaceId, 'c');
    const s = await seed(workspaceId, gone, `evt_${randomUUID()}`, new Date());
    await waitProjected(api, workspaceId, s);
    await api.call('DELETE', `/v1/workspaces/${workspaceId}/endpoints/${gone}`);
    const job = await purge({ endpointId: gone });
    expect(job).toMatchObject({
      state: 'succeeded',
      result: { purged: { deliveries: 1, attempts: ATTEMPTS } },
    });
    expectPurged(await getDelivery(api, workspaceId, s.request.deliveryId), s);
  });

  it('purges everything requested before a time, in batches, and reports it', async () => {
    const job = await purge({ before: new Date(oldAt.getTime() + 60_000).toISOString() });
    expect(job).toMatchObject({
      state: 'succeeded',
      endpointId: null,
      total: 3,
      processed: 3,
      percent: 100,
      result: {
        purged: { deliveries: 3, attempts: 3 * ATTEMPTS, bytes: old.reduce((sum, s) => sum + bytesOf(s), 0) },
      },
    });
    for (const s of old) expectPurged(await getDelivery(api, workspaceId, s.request.deliveryId), s);
    expectIntact(await getDelivery(api, workspaceId, recent.e2a.request.deliveryId), recent.e2a);
    expectIntact(await getDelivery(otherApi, otherWorkspace, otherOld.request.deliveryId), otherOld);
    const jobs = await api.call<{ data: PurgeJob[] }>('GET', `/v1/workspaces/${workspaceId}/jobs`);
    expect(jobs.data.filter((j) => j.kind === 'purge')).toHaveLength(4);
  });
});
