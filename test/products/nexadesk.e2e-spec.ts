import { randomUUID } from 'node:crypto';
import { FAST_RETRY_TIERS, type HeraldApiClient } from '@herald/testing';
import { startPipeline, type Pipeline } from '../support/pipeline';
import {
  FAST_NEXADESK_SCHEDULE,
  NEXADESK_SCHEDULE,
  NEXADESK_SETTINGS,
  addWebhook,
  closedPort,
  leadCreated as lead,
  messageCreated as message,
  nexadeskSecret,
  of,
  topicOf,
  webhookLogs,
  type CreatedEndpoint,
  type Delivery,
  type DeliveryDetail,
  type Failure,
  type NexaDeskEvent,
  type Verification,
} from './nexadesk/fixtures';
import { NexaDeskReceiver, verifyWebhook, type NexaDeskView } from './nexadesk/receiver';
import {
  failThenRetryByHand,
  produceInOrder,
  retryAfterA500,
  rotateWithoutGrace,
  type FlowTarget,
  type Sent,
} from './product-flows';

/**
 * NexaDesk (issue 18 item 4), from its seed docs (/work/shared/seeds/004_*): Add Webhook sends a test
 * ping and saves only if the URL answered 200; `{event, timestamp, workspace_id, data}` payloads signed
 * `sha256=<hex>` in X-NexaDesk-Signature, which the seed's handler verifies on the re-serialised parsed
 * body; retries after a non-2xx, failed deliveries retried by hand, and a test event at any time.
 * Every request, Save's ping included, is checked by the seed's code in ./nexadesk/receiver.ts: the
 * receiver holds its secret before the webhook is added, and the webhook is added with that secret.
 */

/** The first attempt and the five retries, then "marked as failed". */
const ATTEMPTS = FAST_NEXADESK_SCHEDULE.length + 1;
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('NexaDesk webhooks', () => {
  let pipeline: Pipeline;
  let api: HeraldApiClient;
  let workspaceId: string;
  let receiver: NexaDeskReceiver;
  /** NEXADESK_WEBHOOK_SECRET, chosen before the webhook exists and sent as `secret` on create. */
  const receiverSecret = nexadeskSecret();
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
    receiver = await NexaDeskReceiver.start(receiverSecret);
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

  const endpointUrls = () => webhookLogs(api, workspaceId).endpointUrls();
  const loggedDelivery = (id: string) => webhookLogs(api, workspaceId).loggedDelivery(id);
  const leadCreated = () => lead(workspaceId);
  const messageCreated = () => message(workspaceId);

  const produce = (event: NexaDeskEvent) => produceInOrder(pipeline.producer, topicOf(event), [event]);

  /** The saved webhook, for the shared flows; each sends one fresh lead.created. */
  const target = (): FlowTarget<NexaDeskView> => ({ api, workspaceId, endpointId: endpoint.id, receiver });
  type Lead = Sent<NexaDeskView> & { event: NexaDeskEvent };
  const sendLead = async (): Promise<Lead> => {
    const event = leadCreated();
    await produce(event);
    return { event, eventId: event.id, of: of(event) };
  };

  describe('Save pings the URL first', () => {
    it('fails with the status when the URL answers 500, and stores nothing', async () => {
      receiver.failNext(1);
      const url = receiver.url('/webhooks/down');
      const refused = await api.request<Failure>('POST', path('/endpoints'), addWebhook(url, receiverSecret));
      expect(refused.status).toBe(422);
      expect(refused.body.error.code).toBe('ENDPOINT_VERIFICATION_FAILED');
      expect(refused.body.error.details).toEqual({ status: 500 });
      // The seed's code verified the ping, then the handler failed on purpose.
      const pings = receiver.verified.filter((r) => r.path === '/webhooks/down');
      expect(pings.map((r) => r.answered)).toEqual([500]);
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

    it("fails with 401 when added without the handler's secret: the seed code rejects the ping", async () => {
      // Herald then signs the ping with a secret it generates, which no receiver can know yet.
      const configured = await NexaDeskReceiver.start(nexadeskSecret());
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

    it('saves when the URL answers 200; the ping verifies with the secret sent and is logged as a test', async () => {
      const created = await api.request<CreatedEndpoint>(
        'POST',
        path('/endpoints'),
        addWebhook(receiver.url(), receiverSecret),
      );
      expect(created.status).toBe(201);
      expect(created.body.verification).toMatchObject({ delivered: true, status: 200 });
      expect(created.body).toMatchObject({
        productProfile: 'nexadesk',
        ...NEXADESK_SETTINGS,
        retrySchedule: FAST_NEXADESK_SCHEDULE,
        profileOverrides: ['retrySchedule'],
      });
      expect(created.body.secret).toBe(receiverSecret);
      endpoint = { id: created.body.id, secret: created.body.secret };

      const deliveryId = created.body.verification.deliveryId;
      const [ping] = receiver.verified.filter((r) => r.headers['webhook-id'] === deliveryId);
      expect(ping).toMatchObject({ path: '/webhooks/nexadesk', answered: 200 });
      expect(Object.keys(ping.payload)).toEqual(['event', 'timestamp', 'workspace_id', 'data']);
      expect(ping.payload).toMatchObject({ event: 'herald.test', workspace_id: workspaceId });

      const logged = await loggedDelivery(deliveryId);
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
    const otherSecret = nexadeskSecret();
    const other = await NexaDeskReceiver.start(otherSecret);
    try {
      const created = await api.request<CreatedEndpoint>('POST', path('/endpoints'), {
        url: other.url(),
        eventTypes: ['lead.*'],
        productProfile: 'nexadesk',
        secret: otherSecret,
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
      expect(other.verified).toHaveLength(1);
      expect(other.rejected).toEqual([]);
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
    const { sent, first, second, detail } = await retryAfterA500<NexaDeskView, DeliveryDetail, Lead>(
      target(),
      sendLead,
    );
    expect(second.payload).toEqual(first.payload);
    expect(second.signature).toBe(first.signature);
    // Webhook Logs: event type and timestamp, status, response time, request and response payloads.
    expect(detail).toMatchObject({ eventType: 'lead.created', occurredAt: sent.event.occurredAt });
    expect(JSON.parse(detail.payload!)).toEqual(first.payload);
    expect(detail.attempts.map((a) => a.response?.body)).toEqual(['failing on purpose', 'OK']);
    expect(detail.attempts.every((a) => Number.isFinite(a.durationMs))).toBe(true);
  });

  it('rotates the secret: the next delivery verifies with the new one and not with the old', async () => {
    const secret = await rotateWithoutGrace(target(), sendLead, {
      previous: endpoint.secret,
      verifies: (got, key) => verifyWebhook(JSON.stringify(got.payload), got.signature!, key),
    });
    endpoint = { ...endpoint, secret };
  });

  it('marks a delivery failed after the five retries, lists it, and a manual retry delivers it', async () => {
    const { arrived, succeeded } = await failThenRetryByHand(target(), sendLead, ATTEMPTS);
    expect(arrived[ATTEMPTS].payload).toEqual(arrived[0].payload);
    expect(succeeded.attemptCount).toBe(ATTEMPTS + 1);
  });

  it('"Send test event" at any time: signed with the current secret and logged as a test', async () => {
    const sent = await api.call<Verification>('POST', path(`/endpoints/${endpoint.id}/test`));
    expect(sent).toMatchObject({ delivered: true, status: 200 });
    const [ping] = await receiver.waitFor(1, (r) => r.headers['webhook-id'] === sent.deliveryId);
    expect(ping.payload.event).toBe('herald.test');
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
