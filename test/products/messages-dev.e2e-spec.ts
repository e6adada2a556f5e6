import { randomUUID } from 'node:crypto';
import { eventually, type HeraldApiClient } from '@herald/testing';
import { startPipeline, type Pipeline } from '../support/pipeline';
import { MessagesDevReceiver, verifyWebhook, type VerifiedDelivery } from './messages-dev/receiver';

interface Delivery {
  id: string;
  endpointId: string;
  status: string;
  attemptCount: number;
}
interface DeliveryDetail extends Delivery {
  attempts: { attempt: number; outcome: string; response: { status: number } | null }[];
}

/**
 * Messages.dev (issue 18 item 4), as its seed documents it (/work/shared/seeds/002_*): a webhook per
 * line, `{event, data, timestamp}` bodies signed in X-Webhook-Signature with a hex HMAC of the raw
 * body, delete by id in the body; plus rotation, a retry after a 500, and a failed delivery retried
 * by hand. Every delivery is checked by the seed's own verifier (./messages-dev/receiver.ts). The
 * webhook is made with productProfile 'messages-dev' (a fast retrySchedule overriding it); a second one
 * spells the same settings out, to show they still work without the profile.
 */
describe('Messages.dev product', () => {
  const line = '+15551234567';
  const otherLine = '+15557654321';
  let pipeline: Pipeline;
  let api: HeraldApiClient;
  let workspaceId: string;
  let receiver: MessagesDevReceiver;
  let explicit: MessagesDevReceiver;
  let explicitId: string;
  let endpointId: string;
  let secret: string;
  /** An unscoped endpoint on the pipeline's plain receiver: it sees every event the router handled. */
  let sentinelId: string;

  beforeAll(async () => {
    pipeline = await startPipeline({ label: 'messages-dev-e2e' });
    receiver = await MessagesDevReceiver.start();
    ({ workspaceId, client: api } = await pipeline.admin.provisionWorkspace(
      `mdev-${randomUUID().slice(0, 6)}`,
    ));
    const created = await api.createEndpoint(workspaceId, {
      url: receiver.url('/webhooks'),
      eventTypes: ['message.received', 'message.sent'],
      line,
      productProfile: 'messages-dev',
      // Overrides the profile's (Herald's default) schedule: one retry, then failed (FAST_RETRY_TIERS has 200ms).
      retrySchedule: ['200ms'],
    });
    // The profile alone set what the seed documents.
    expect(created).toMatchObject({
      productProfile: 'messages-dev',
      payloadProfile: 'messages-dev',
      signatureScheme: 'hmac-hex',
      signatureHeader: 'X-Webhook-Signature',
      retrySchedule: ['200ms'],
      profileOverrides: ['retrySchedule'],
    });
    ({ id: endpointId, secret } = created);
    receiver.useSecret(secret);
    // The same webhook spelled out setting by setting, without a profile, on a receiver of its own.
    explicit = await MessagesDevReceiver.start();
    const spelledOut = await api.createEndpoint(workspaceId, {
      url: explicit.url('/webhooks'),
      eventTypes: ['message.received'],
      line,
      payloadProfile: 'messages-dev',
      signatureScheme: 'hmac-hex',
      signatureHeader: 'X-Webhook-Signature',
    });
    expect(spelledOut.productProfile).toBeNull();
    explicitId = spelledOut.id;
    explicit.useSecret(spelledOut.secret);
    sentinelId = (
      await api.createEndpoint(workspaceId, {
        url: pipeline.receiver.url('/sentinel'),
        eventTypes: ['message.*'],
      })
    ).id;
  });

  afterAll(async () => {
    await receiver?.stop();
    await explicit?.stop();
    await pipeline?.stop();
  });

  const path = (rest: string) => `/v1/workspaces/${workspaceId}${rest}`;

  /** A message on a line, with the fields the seed's sample shows beside the catalogue's. */
  function messageReceived(onLine: string) {
    const id = randomUUID();
    return {
      id,
      type: 'message.received',
      workspaceId,
      occurredAt: new Date().toISOString(),
      data: {
        object: 'message',
        id: `msg_${id.slice(0, 8)}`,
        conversationId: 'cht_def456',
        chat_id: 'cht_def456',
        sender: '+15559876543',
        text: 'Hey there!',
        is_from_me: false,
        sent_at: 1710000000000,
        lineId: onLine,
      },
    };
  }
  type Event = ReturnType<typeof messageReceived>;

  /** Events produced with one key are routed in order, so a later one proves the earlier were handled. */
  async function produce(...events: Event[]): Promise<void> {
    const key = randomUUID();
    await pipeline.producer.send({
      topic: 'domain.messages',
      messages: events.map((e) => ({ key, value: JSON.stringify(e) })),
    });
  }
  const of = (event: Event) => (d: VerifiedDelivery) => d.payload.data.id === event.data.id;

  /** The delivery log for an event, once it lists something matching `ready`. */
  function deliveriesOf(event: Event, ready: (d: Delivery[]) => boolean = (d) => d.length > 0) {
    return eventually(async () => {
      const listed = await api.call<{ data: Delivery[] }>('GET', path(`/events/${event.id}/deliveries`));
      return ready(listed.data) ? listed.data : undefined;
    }, 60_000);
  }
  const ours = (ds: Delivery[]) => ds.find((d) => d.endpointId === endpointId);

  it('delivers {event, data, timestamp} in epoch ms, signed as the seed verifies, for its line only', async () => {
    const elsewhere = messageReceived(otherLine);
    const here = messageReceived(line);
    await produce(elsewhere, here);
    const [delivery] = await receiver.waitFor(1, of(here));
    expect(delivery.path).toBe('/webhooks');
    expect(delivery.headers['content-type']).toMatch(/^application\/json/);
    expect(Object.keys(delivery.payload)).toEqual(['event', 'data', 'timestamp']);
    expect(delivery.payload.event).toBe('message.received');
    expect(Number.isInteger(delivery.payload.timestamp)).toBe(true);
    expect(delivery.payload.timestamp).toBe(Date.parse(here.occurredAt));
    expect(delivery.payload.data).toEqual(here.data);
    const [spelledOut] = await explicit.waitFor(1, of(here));
    expect(spelledOut.body).toBe(delivery.body);
    expect(explicit.rejected).toEqual([]);

    // The other line's event was routed (the sentinel has it) but not to this line's webhook.
    await pipeline.receiver.waitFor(1, (r) => r.body.toString('utf8').includes(elsewhere.id));
    expect((await deliveriesOf(elsewhere)).map((d) => d.endpointId)).toEqual([sentinelId]);
    expect(receiver.verified.filter(of(elsewhere))).toHaveLength(0);
    expect(receiver.rejected).toEqual([]);
  });

  it('after a rotation, signs with the new secret only', async () => {
    const rotated = await api.call<{ secret: string }>(
      'POST',
      path(`/endpoints/${endpointId}/secret/rotate`),
      { gracePeriod: '0s' },
    );
    expect(rotated.secret).not.toBe(secret);
    const previous = secret;
    secret = rotated.secret;
    receiver.useSecret(secret);

    const event = messageReceived(line);
    await produce(event);
    const [delivery] = await receiver.waitFor(1, of(event));
    const signature = delivery.headers['x-webhook-signature'] as string;
    expect(verifyWebhook(delivery.body, signature, secret)).toBe(true);
    expect(verifyWebhook(delivery.body, signature, previous)).toBe(false);
    expect(receiver.rejected).toEqual([]);
  });

  it('retries after a 500: the same body arrives again, verifies, and the log shows two attempts', async () => {
    receiver.failNext(1);
    const event = messageReceived(line);
    await produce(event);
    const [first, second] = await receiver.waitFor(2, of(event));
    expect([first.answered, second.answered]).toEqual([500, 200]);
    expect(second.body).toBe(first.body);
    expect(receiver.rejected).toEqual([]);

    const delivery = ours(
      await deliveriesOf(event, (ds) => ours(ds)?.status === 'succeeded' && ours(ds)?.attemptCount === 2),
    )!;
    const detail = await api.call<DeliveryDetail>('GET', path(`/deliveries/${delivery.id}`));
    expect(detail.attempts.map((a) => [a.attempt, a.outcome, a.response?.status])).toEqual([
      [1, 'retry_scheduled', 500],
      [2, 'succeeded', 200],
    ]);
  });

  it('lists a delivery that exhausted its retries as failed, and a manual retry delivers it', async () => {
    receiver.failNext(2);
    const event = messageReceived(line);
    await produce(event);
    await receiver.waitFor(2, of(event));
    const failed = await eventually(async () => {
      const listed = await api.call<{ data: (Delivery & { eventId: string })[] }>(
        'GET',
        path(`/deliveries?status=failed&endpointId=${endpointId}`),
      );
      return listed.data.find((d) => d.eventId === event.id);
    }, 60_000);
    expect(failed.attemptCount).toBe(2);

    const retry = await api.request<{ attempt: number }>('POST', path(`/deliveries/${failed.id}/retry`));
    expect(retry.status).toBe(202);
    const arrived = await receiver.waitFor(3, of(event));
    expect(arrived.map((d) => d.answered)).toEqual([500, 500, 200]);
    expect(arrived[2].body).toBe(arrived[0].body);
    await deliveriesOf(event, (ds) => ours(ds)?.status === 'succeeded');
    expect(receiver.rejected).toEqual([]);
  });

  it('deleting the webhook by id in the body stops its deliveries', async () => {
    const res = await api.request('DELETE', path('/endpoints'), { id: endpointId });
    expect(res.status).toBe(204);
    const event = messageReceived(line);
    await produce(event);
    await pipeline.receiver.waitFor(1, (r) => r.body.toString('utf8').includes(event.id));
    await explicit.waitFor(1, of(event));
    const logged = await deliveriesOf(event, (ds) => ds.length >= 2);
    expect(logged.map((d) => d.endpointId).sort()).toEqual([sentinelId, explicitId].sort());
    expect(receiver.verified.filter(of(event))).toHaveLength(0);
    // Over the whole run, only this line's messages reached its webhook, and every one verified.
    expect(receiver.verified.filter((d) => d.payload.data.lineId !== line)).toEqual([]);
    expect(receiver.rejected).toEqual([]);
  });
});
