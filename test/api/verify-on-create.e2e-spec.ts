import { createHmac, randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { eventually, sampleMessageReceived, type HeraldApiClient } from '@herald/testing';
import { startPipeline, type Pipeline } from '../support/pipeline';

/**
 * NexaDesk verify-on-create and test pings in the delivery log (issue 18 item 2). NexaDesk's docs:
 * "NexaDesk sends a test ping to your URL to verify it is reachable. Your endpoint must respond with a
 * 200 status code." An endpoint created with verifyOnCreate exists only if that ping was answered 200;
 * otherwise the answer says why. Every ping is in the delivery log marked `test: true`.
 */

interface Delivery {
  id: string;
  endpointId: string;
  eventId: string;
  trigger: string | null;
  test: boolean;
  status: string;
  payload?: string | null;
  attempts?: { response: { status: number } | null }[];
}

interface Failure {
  error: { code: string; details?: Record<string, unknown> };
}

const NEXADESK = {
  eventTypes: ['message.*'],
  payloadProfile: 'nexadesk',
  signatureScheme: 'hmac-sha256-prefixed',
  signatureHeader: 'X-NexaDesk-Signature',
};

/** A loopback port nothing listens on: bound, then closed. */
async function refusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('verify-on-create and test pings in the delivery log', () => {
  let pipeline: Pipeline;
  let api: HeraldApiClient;
  let workspaceId: string;
  let flakyAnswers = 500;
  const path = (p: string) => `/v1/workspaces/${workspaceId}${p}`;
  const delivery = (id: string) =>
    eventually(async () => {
      const res = await api.request<Delivery>('GET', path(`/deliveries/${id}`));
      return res.status === 200 ? res.body : undefined;
    });
  const listed = async (query: string) =>
    (await api.call<{ data: Delivery[] }>('GET', path(`/deliveries?${query}`))).data;

  beforeAll(async () => {
    pipeline = await startPipeline({ label: 'verify-on-create-e2e' });
    ({ workspaceId, client: api } = await pipeline.admin.provisionWorkspace(
      `verify-${randomUUID().slice(0, 6)}`,
    ));
    pipeline.receiver.respondWith((request, res) => {
      if (request.path === '/down') res.writeHead(500).end('down');
      else if (request.path === '/flaky') res.writeHead(flakyAnswers).end();
      else if (request.path === '/created') res.writeHead(201).end();
      // Never answered: the ping must time out.
      else if (request.path === '/hang') return;
      else res.writeHead(200).end('OK');
    });
  });

  afterAll(async () => {
    await pipeline?.stop();
  });

  let endpointId: string;
  let verificationDeliveryId: string;

  it('creates the endpoint when the URL answers 200, and logs the signed ping as a test', async () => {
    const created = await api.request<{
      id: string;
      secret: string;
      verification: { deliveryId: string; delivered: boolean; status: number };
    }>('POST', path('/endpoints'), { url: pipeline.receiver.url('/ok'), ...NEXADESK, verifyOnCreate: true });
    expect(created.status).toBe(201);
    endpointId = created.body.id;
    expect(created.body.verification).toMatchObject({ delivered: true, status: 200 });
    verificationDeliveryId = created.body.verification.deliveryId;

    // The ping was signed with the secret the endpoint was then stored with, in NexaDesk's shape.
    const [ping] = pipeline.receiver.matching((r) => r.path === '/ok');
    const expected = 'sha256=' + createHmac('sha256', created.body.secret).update(ping.body).digest('hex');
    expect(ping.headers['x-nexadesk-signature']).toBe(expected);
    expect(JSON.parse(ping.body.toString('utf8'))).toMatchObject({
      event: 'herald.test',
      workspace_id: workspaceId,
    });
    expect(ping.headers['webhook-id']).toBe(verificationDeliveryId);

    const logged = await delivery(verificationDeliveryId);
    expect(logged).toMatchObject({
      endpointId,
      eventType: 'herald.test',
      trigger: 'test',
      test: true,
      status: 'succeeded',
      payload: ping.body.toString('utf8'),
    });
    expect(logged.attempts).toHaveLength(1);
    expect(logged.attempts![0].response?.status).toBe(200);
  });

  it('refuses the endpoint with the status when the URL answers 500, and stores nothing', async () => {
    const url = pipeline.receiver.url('/down');
    const refused = await api.request<Failure>('POST', path('/endpoints'), {
      url,
      ...NEXADESK,
      verifyOnCreate: true,
    });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('ENDPOINT_VERIFICATION_FAILED');
    expect(refused.body.error.details).toEqual({ status: 500 });
    expect(pipeline.receiver.matching((r) => r.path === '/down')).toHaveLength(1);
    const endpoints = await api.call<{ data: { url: string }[] }>('GET', path('/endpoints'));
    expect(endpoints.data.map((e) => e.url)).not.toContain(url);
  });

  it('refuses a 201 too: NexaDesk asks for exactly 200', async () => {
    const refused = await api.request<Failure>('POST', path('/endpoints'), {
      url: pipeline.receiver.url('/created'),
      ...NEXADESK,
      verifyOnCreate: true,
    });
    expect(refused.status).toBe(422);
    expect(refused.body.error.details).toEqual({ status: 201 });
  });

  it('says refused when nothing listens on the port', async () => {
    const refused = await api.request<Failure>('POST', path('/endpoints'), {
      url: `http://127.0.0.1:${await refusedPort()}/hook`,
      ...NEXADESK,
      verifyOnCreate: true,
    });
    expect(refused.status).toBe(422);
    expect(refused.body.error.details).toMatchObject({ reason: 'refused' });
  });

  it('says timeout when the receiver never answers within the endpoint timeout', async () => {
    const refused = await api.request<Failure>('POST', path('/endpoints'), {
      url: pipeline.receiver.url('/hang'),
      ...NEXADESK,
      timeoutMs: 500,
      verifyOnCreate: true,
    });
    expect(refused.status).toBe(422);
    expect(refused.body.error.details).toMatchObject({ reason: 'timeout' });
    const endpoints = await api.call<{ data: { url: string }[] }>('GET', path('/endpoints'));
    expect(endpoints.data.map((e) => e.url)).not.toContain(pipeline.receiver.url('/hang'));
  });

  it('runs a failed verification again under the same Idempotency-Key, rather than replaying it', async () => {
    const body = { url: pipeline.receiver.url('/flaky'), ...NEXADESK, verifyOnCreate: true };
    const headers = { 'idempotency-key': randomUUID() };
    flakyAnswers = 500;
    const first = await api.request<Failure>('POST', path('/endpoints'), body, headers);
    expect(first.status).toBe(422);
    flakyAnswers = 200;
    const second = await api.request<{ id: string; secret: string }>(
      'POST',
      path('/endpoints'),
      body,
      headers,
    );
    expect(second.status).toBe(201);
    // The successful answer is the one replayed now, secret included.
    const third = await api.request<{ id: string; secret: string }>(
      'POST',
      path('/endpoints'),
      body,
      headers,
    );
    expect(third.status).toBe(201);
    expect(third.body).toMatchObject({ id: second.body.id, secret: second.body.secret });
    expect(pipeline.receiver.matching((r) => r.path === '/flaky')).toHaveLength(2);
  });

  it('logs "send test event" as a test, shows real deliveries as test false, and filters on it', async () => {
    const sent = await api.call<{ deliveryId: string; delivered: boolean }>(
      'POST',
      path(`/endpoints/${endpointId}/test`),
    );
    expect(sent.delivered).toBe(true);
    expect(await delivery(sent.deliveryId)).toMatchObject({ endpointId, trigger: 'test', test: true });

    const event = sampleMessageReceived(workspaceId);
    await pipeline.producer.send({
      topic: 'domain.messages',
      messages: [{ key: event.id, value: JSON.stringify(event) }],
    });
    const real = await eventually(async () => {
      const byEvent = await api.call<{ data: Delivery[] }>('GET', path(`/events/${event.id}/deliveries`));
      // The endpoint the idempotency case made takes message.* too: look at this one's delivery.
      return byEvent.data.find((d) => d.endpointId === endpointId && d.status === 'succeeded');
    });
    expect(real).toMatchObject({ endpointId, trigger: 'event', test: false });

    const all = await listed(`endpointId=${endpointId}`);
    expect(new Set(all.map((d) => d.id))).toEqual(
      new Set([verificationDeliveryId, sent.deliveryId, real.id]),
    );
    expect((await listed(`endpointId=${endpointId}&test=false`)).map((d) => d.id)).toEqual([real.id]);
    expect(new Set((await listed(`endpointId=${endpointId}&test=true`)).map((d) => d.id))).toEqual(
      new Set([verificationDeliveryId, sent.deliveryId]),
    );
  });

  it('leaves a failed test ping out of a recover job', async () => {
    const since = new Date(Date.now() - 1_000).toISOString();
    const created = await api.call<{ id: string }>('POST', path('/endpoints'), {
      url: pipeline.receiver.url('/down'),
      ...NEXADESK,
    });
    const sent = await api.call<{ deliveryId: string; delivered: boolean; status: number }>(
      'POST',
      path(`/endpoints/${created.id}/test`),
    );
    expect(sent).toMatchObject({ delivered: false, status: 500 });
    const failed = await eventually(async () => {
      const found = await delivery(sent.deliveryId);
      return found.status === 'failed' ? found : undefined;
    });
    expect(failed).toMatchObject({ test: true, attempts: [{ response: { status: 500 } }] });

    const started = await api.call<{ id: string }>('POST', path(`/endpoints/${created.id}/recover`), {
      since,
      until: new Date(Date.now() + 60_000).toISOString(),
    });
    const job = await eventually(async () => {
      const found = await api.call<{ state: string }>('GET', path(`/jobs/${started.id}`));
      return found.state === 'running' || found.state === 'queued' ? undefined : found;
    });
    expect(job).toMatchObject({ state: 'succeeded', total: 0, produced: 0 });
  });

  it('answers a manual retry of a test ping with TEST_DELIVERY_NOT_RETRIABLE and sends nothing', async () => {
    const before = pipeline.receiver.matching((r) => r.path === '/ok').length;
    const retry = await api.request<Failure>('POST', path(`/deliveries/${verificationDeliveryId}/retry`));
    expect(retry.status).toBe(409);
    expect(retry.body.error.code).toBe('TEST_DELIVERY_NOT_RETRIABLE');
    expect(pipeline.receiver.matching((r) => r.path === '/ok')).toHaveLength(before);
  });
});
