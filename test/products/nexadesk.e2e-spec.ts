import { randomUUID } from 'node:crypto';
import { FAST_RETRY_TIERS, eventually, type HeraldApiClient } from '@herald/testing';
import { startPipeline, type Pipeline } from '../support/pipeline';
import {
  FAST_NEXADESK_SCHEDULE,
  NEXADESK_SCHEDULE,
  NEXADESK_SETTINGS,
  closedPort,
  leadCreated as lead,
  messageCreated as message,
  topicOf,
  type CreatedEndpoint,
  type Delivery,
  type DeliveryDetail,
  type Failure,
  type NexaDeskEvent,
  type Verification,
} from './nexadesk/fixtures';
import { NexaDeskReceiver, verifyWebhook, type ReceivedRequest } from './nexadesk/receiver';

/**
 * NexaDesk (issue 18 item 4), from its seed docs (/work/shared/seeds/004_*): Add Webhook sends a test
 * ping and saves only if the URL answered 200; `{event, timestamp, workspace_id, data}` payloads signed
 * `sha256=<hex>` in X-NexaDesk-Signature, which the seed's handler verifies on the re-serialised parsed
 * body; retries after a non-2xx, failed deliveries retried by hand, and a test event at any time.
 * Every request is checked by the seed's code in ./nexadesk/receiver.ts.
 */

/** The first attempt and the five retries, then "marked as failed". */
const ATTEMPTS = FAST_NEXADESK_SCHEDULE.length + 1;
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('NexaDesk webhooks', () => {
  let pipeline: Pipeline;
  let api: HeraldApiClient;
  let workspaceId: string;
  let receiver: NexaDeskReceiver;
  let endpoint: { id: string; secret: string };

  beforeAll(async () => {
    pipeline = await startPipeline({
      label: 'nexadesk-e2e',
      // The profile's own delays must be tiers for an endpoint to keep them; only the fast ones are waited on.
      environment: { retryTiers: [...FAST_RETRY_TIERS, ...NEXADESK_SCHEDULE] },
      heraldEnv: { HERALD_RETRY_SCHEDULE: FAST_RETRY_TIERS.join(',') },
    });
    ({ workspaceId, client: api } = await pipeline.admin.provisionWorkspace(
      `nx-${randomUUID().slice(0, 6)}`,
    ));
    receiver = await NexaDeskReceiver.start();
  });

  afterAll(async () => {
    await receiver?.stop();
    await pipeline?.stop();
  });

  afterEach(() => {
    // Every request, whatever the test, verified with the seed's code: no 401 "Invalid signature".
    expect(receiver.rejected).toEqual([]);
  });

  const path = (rest: string) => `/v1/workspaces/${workspaceId}${rest}`;

  /**
   * Settings > Webhooks > Add Webhook: URL, events, Save (which pings first). The profile sets the
   * shape, signature, schedule and the ping; only the schedule is overridden, to run in seconds.
   */
  const addWebhook = (url: string) => ({
    url,
    eventTypes: ['lead.*', 'message.created'],
    productProfile: 'nexadesk',
    retrySchedule: FAST_NEXADESK_SCHEDULE,
  });

  async function endpointUrls(): Promise<string[]> {
    const listed = await api.call<{ data: { url: string }[] }>('GET', path('/endpoints'));
    return listed.data.map((e) => e.url);
  }

  const leadCreated = () => lead(workspaceId);
  const messageCreated = () => message(workspaceId);

  async function produce(event: NexaDeskEvent): Promise<void> {
    await pipeline.producer.send({
      topic: topicOf(event),
      messages: [{ key: event.id, value: JSON.stringify(event) }],
    });
  }
  const of = (event: NexaDeskEvent) => (r: ReceivedRequest) => r.payload.data?.id === event.data.id;

  function deliveryOf(eventId: string, ready: (d: Delivery) => boolean): Promise<Delivery> {
    return eventually(async () => {
      const res = await api.call<{ data: Delivery[] }>('GET', path(`/events/${eventId}/deliveries`));
      return res.data.find((d) => d.endpointId === endpoint.id && ready(d));
    }, 60_000);
  }
  function loggedDelivery(id: string): Promise<DeliveryDetail> {
    return eventually(async () => {
      const res = await api.request<DeliveryDetail>('GET', path(`/deliveries/${id}`));
      return res.status === 200 ? res.body : undefined;
    });
  }

  describe('Save pings the URL first', () => {
    it('fails with the status when the URL answers 500, and stores nothing', async () => {
      receiver.failNext(1);
      const url = receiver.url('/webhooks/down');
      const refused = await api.request<Failure>('POST', path('/endpoints'), addWebhook(url));
      expect(refused.status).toBe(422);
      expect(refused.body.error.code).toBe('ENDPOINT_VERIFICATION_FAILED');
      expect(refused.body.error.details).toEqual({ status: 500 });
      expect(receiver.beforeSecret.filter((r) => r.path === '/webhooks/down')).toHaveLength(1);
      expect(await endpointUrls()).not.toContain(url);
    });

    it('fails with "refused" when nothing listens on the port (explicit settings), and stores nothing', async () => {
      const url = `http://127.0.0.1:${await closedPort()}/webhooks/nexadesk`;
      const refused = await api.request<Failure>('POST', path('/endpoints'), {
        url,
        eventTypes: ['lead.*'],
        ...NEXADESK_SETTINGS,
        retrySchedule: FAST_NEXADESK_SCHEDULE,
        verifyOnCreate: true,
      });
      expect(refused.status).toBe(422);
      expect(refused.body.error.code).toBe('ENDPOINT_VERIFICATION_FAILED');
      expect(refused.body.error.details).toMatchObject({ reason: 'refused' });
      expect(await endpointUrls()).not.toContain(url);
    });

    it('fails with 401 against a handler already holding some other secret: the seed code rejects the ping', async () => {
      // The ping is signed with the secret the endpoint is about to get, which no receiver can know yet.
      const configured = await NexaDeskReceiver.start('whatever-was-in-the-env-before');
      try {
        const url = configured.url();
        const refused = await api.request<Failure>('POST', path('/endpoints'), addWebhook(url));
        expect(refused.status).toBe(422);
        expect(refused.body.error.details).toEqual({ status: 401 });
        expect(configured.rejected).toHaveLength(1);
        expect(await endpointUrls()).not.toContain(url);
      } finally {
        await configured.stop();
      }
    });

    it('saves when the URL answers 200; the ping verifies with the new secret and is logged as a test', async () => {
      const created = await api.request<CreatedEndpoint>(
        'POST',
        path('/endpoints'),
        addWebhook(receiver.url()),
      );
      expect(created.status).toBe(201);
      expect(created.body.verification).toMatchObject({ delivered: true, status: 200 });
      expect(created.body).toMatchObject({
        productProfile: 'nexadesk',
        ...NEXADESK_SETTINGS,
        retrySchedule: FAST_NEXADESK_SCHEDULE,
        profileOverrides: ['retrySchedule'],
      });
      endpoint = { id: created.body.id, secret: created.body.secret };
      receiver.useSecret(endpoint.secret);

      const [ping] = receiver.beforeSecret.filter((r) => r.path === '/webhooks/nexadesk');
      expect(ping.answered).toBe(200);
      expect(NexaDeskReceiver.verifyLater(ping, endpoint.secret)).toBe(true);
      expect(Object.keys(ping.payload)).toEqual(['event', 'timestamp', 'workspace_id', 'data']);
      expect(ping.payload).toMatchObject({ event: 'herald.test', workspace_id: workspaceId });

      const logged = await loggedDelivery(created.body.verification.deliveryId);
      expect(logged).toMatchObject({
        endpointId: endpoint.id,
        trigger: 'test',
        test: true,
        status: 'succeeded',
      });
      expect(JSON.parse(logged.payload!)).toEqual(ping.payload);
      expect(await endpointUrls()).toContain(receiver.url());
    });
  });

  it("takes the seed's schedule and the ping from the profile alone, when nothing overrides them", async () => {
    const other = await NexaDeskReceiver.start();
    try {
      const created = await api.request<CreatedEndpoint>('POST', path('/endpoints'), {
        url: other.url(),
        eventTypes: ['lead.*'],
        productProfile: 'nexadesk',
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        productProfile: 'nexadesk',
        ...NEXADESK_SETTINGS,
        retrySchedule: NEXADESK_SCHEDULE,
        profileOverrides: [],
      });
      // Verify-on-create came with the profile: the one ping, signed as the seed's code checks.
      expect(created.body.verification).toMatchObject({ delivered: true, status: 200 });
      expect(other.beforeSecret).toHaveLength(1);
      expect(NexaDeskReceiver.verifyLater(other.beforeSecret[0], created.body.secret)).toBe(true);
      const shown = await api.call<CreatedEndpoint>('GET', path(`/endpoints/${created.body.id}`));
      expect(shown.retrySchedule).toEqual(NEXADESK_SCHEDULE);
      // Its receiver stops here: later leads must not queue hour-long retries towards it.
      expect((await api.request('DELETE', path(`/endpoints/${created.body.id}`))).status).toBe(204);
    } finally {
      await other.stop();
    }
  });

  it('delivers a lead.created as {event, timestamp, workspace_id, data}, verified on the re-serialised body', async () => {
    const event = leadCreated();
    await produce(event);
    const [got] = await receiver.waitFor(1, of(event));
    expect(got.path).toBe('/webhooks/nexadesk');
    expect(got.headers['content-type']).toMatch(/^application\/json/);
    expect(got.signature).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(Object.keys(got.payload)).toEqual(['event', 'timestamp', 'workspace_id', 'data']);
    expect(got.payload).toEqual({
      event: 'lead.created',
      timestamp: event.occurredAt,
      workspace_id: workspaceId,
      data: event.data,
    });
    expect(got.payload.timestamp).toMatch(ISO_8601);
    // "The data field contains the full resource object": the seed's lead fields, as strings.
    expect(Object.keys(got.payload.data)).toEqual([
      'id',
      'visitor_name',
      'visitor_email',
      'pipeline_stage',
      'source',
      'created_at',
    ]);
    expect(Object.values(got.payload.data).every((v) => typeof v === 'string')).toBe(true);
  });

  it('delivers a message.created in the same shape', async () => {
    const event = messageCreated();
    await produce(event);
    const [got] = await receiver.waitFor(1, of(event));
    expect(got.payload).toEqual({
      event: 'message.created',
      timestamp: event.occurredAt,
      workspace_id: workspaceId,
      data: event.data,
    });
    expect(got.payload.timestamp).toMatch(ISO_8601);
  });

  it('retries once after a 500: the same body arrives again, verifies, and the log shows two attempts', async () => {
    receiver.failNext(1);
    const event = leadCreated();
    await produce(event);
    const [first, second] = await receiver.waitFor(2, of(event));
    expect([first.answered, second.answered]).toEqual([500, 200]);
    expect(second.payload).toEqual(first.payload);
    expect(second.signature).toBe(first.signature);
    const delivery = await deliveryOf(event.id, (d) => d.status === 'succeeded' && d.attemptCount === 2);
    const detail = await loggedDelivery(delivery.id);
    expect(detail.attempts.map((a) => [a.attempt, a.response?.status])).toEqual([
      [1, 500],
      [2, 200],
    ]);
    // Webhook Logs: event type and timestamp, status, response time, request and response payloads.
    expect(detail).toMatchObject({ eventType: 'lead.created', occurredAt: event.occurredAt });
    expect(JSON.parse(detail.payload!)).toEqual(first.payload);
    expect(detail.attempts.map((a) => a.response?.body)).toEqual(['failing on purpose', 'OK']);
    expect(detail.attempts.every((a) => Number.isFinite(a.durationMs))).toBe(true);
  });

  it('rotates the secret: the next delivery verifies with the new one and not with the old', async () => {
    const old = endpoint.secret;
    const rotated = await api.call<{ secret: string }>(
      'POST',
      path(`/endpoints/${endpoint.id}/secret/rotate`),
      { gracePeriod: '0s' },
    );
    expect(rotated.secret).not.toBe(old);
    receiver.useSecret(rotated.secret);
    endpoint = { ...endpoint, secret: rotated.secret };

    const event = leadCreated();
    await produce(event);
    const [got] = await receiver.waitFor(1, of(event));
    const body = JSON.stringify(got.payload);
    expect(verifyWebhook(body, got.signature!, rotated.secret)).toBe(true);
    expect(verifyWebhook(body, got.signature!, old)).toBe(false);
  });

  it('marks a delivery failed after the five retries, lists it, and a manual retry delivers it', async () => {
    receiver.failNext(ATTEMPTS);
    const event = leadCreated();
    await produce(event);
    const failed = await eventually(async () => {
      const res = await api.call<{ data: Delivery[] }>(
        'GET',
        path(`/deliveries?status=failed&endpointId=${endpoint.id}`),
      );
      return res.data.find((d) => d.eventId === event.id);
    }, 60_000);
    expect(failed.attemptCount).toBe(ATTEMPTS);
    expect(receiver.verified.filter(of(event)).map((r) => r.answered)).toEqual(Array(ATTEMPTS).fill(500));

    const retry = await api.request<{ attempt: number }>('POST', path(`/deliveries/${failed.id}/retry`));
    expect(retry.status).toBe(202);
    const all = await receiver.waitFor(ATTEMPTS + 1, of(event));
    expect(all[ATTEMPTS].answered).toBe(200);
    expect(all[ATTEMPTS].payload).toEqual(all[0].payload);
    const succeeded = await deliveryOf(event.id, (d) => d.status === 'succeeded');
    expect(succeeded.attemptCount).toBe(ATTEMPTS + 1);
  });

  it('"Send test event" at any time: signed with the current secret and logged as a test', async () => {
    const sent = await api.call<Verification>('POST', path(`/endpoints/${endpoint.id}/test`));
    expect(sent).toMatchObject({ delivered: true, status: 200 });
    const [ping] = await receiver.waitFor(1, (r) => r.payload.event === 'herald.test');
    expect(ping.payload.workspace_id).toBe(workspaceId);
    expect(ping.payload.timestamp).toMatch(ISO_8601);

    const logged = await loggedDelivery(sent.deliveryId);
    expect(logged).toMatchObject({
      endpointId: endpoint.id,
      trigger: 'test',
      test: true,
      status: 'succeeded',
    });
    const tests = await api.call<{ data: Delivery[] }>(
      'GET',
      path(`/deliveries?endpointId=${endpoint.id}&test=true`),
    );
    expect(tests.data.map((d) => d.id)).toContain(sent.deliveryId);
    expect(tests.data.every((d) => d.test)).toBe(true);
  });
});
