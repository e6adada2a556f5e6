import { randomUUID } from 'node:crypto';
import type { HeraldApiClient } from '@herald/testing';
import { startPipeline, type Pipeline } from '../support/pipeline';
import {
  MessagesDevReceiver,
  verifyWebhook,
  type MessagesDevView,
  type VerifiedDelivery,
} from './messages-dev/receiver';
import {
  eventDeliveries,
  failThenRetryByHand,
  produceInOrder,
  retryAfterA500,
  rotateWithoutGrace,
  type Delivery,
  type FlowTarget,
  type Send,
} from './product-flows';

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
  const produce = (...events: Event[]) => produceInOrder(pipeline.producer, 'domain.messages', events);
  const of = (event: Event) => (d: VerifiedDelivery) => d.payload.data.id === event.data.id;
  const deliveriesOf = (event: Event, ready?: (d: Delivery[]) => boolean) =>
    eventDeliveries({ api, workspaceId }, event.id, ready);

  /** This line's webhook, for the shared flows; each sends one fresh message on the line. */
  const target = (): FlowTarget<MessagesDevView> => ({ api, workspaceId, endpointId, receiver });
  const sendOnLine: Send<MessagesDevView> = async () => {
    const event = messageReceived(line);
    await produce(event);
    return { eventId: event.id, of: of(event) };
  };

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
    secret = await rotateWithoutGrace(target(), sendOnLine, {
      previous: secret,
      verifies: (d, key) => verifyWebhook(d.body, d.headers['x-webhook-signature'] as string, key),
    });
    expect(receiver.rejected).toEqual([]);
  });

  it('retries after a 500: the same body arrives again, verifies, and the log shows two attempts', async () => {
    const { first, second, detail } = await retryAfterA500(target(), sendOnLine);
    expect(second.body).toBe(first.body);
    expect(receiver.rejected).toEqual([]);
    expect(detail.attempts.map((a) => a.outcome)).toEqual(['retry_scheduled', 'succeeded']);
  });

  it('lists a delivery that exhausted its retries as failed, and a manual retry delivers it', async () => {
    // The first attempt and the one retry of the overridden schedule.
    const { arrived } = await failThenRetryByHand(target(), sendOnLine, 2);
    expect(arrived[2].body).toBe(arrived[0].body);
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
