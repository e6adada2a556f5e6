import { randomUUID } from 'node:crypto';
import { FAST_RETRY_TIERS, eventually, sampleMessageReceived, type HeraldApiClient } from '@herald/testing';
import { startPipeline, type Pipeline } from '../support/pipeline';
import { MessageDeskReceiver, validateMessageDeskSignature } from './messagedesk/receiver';

/**
 * MessageDesk (issue 18 item 4), from its seed docs (/work/shared/seeds/000_*, 001_*): a workspace
 * webhook endpoint with one signing secret, Event payloads signed with a base64 HMAC that the seed's
 * receiver checks on the re-serialised parsed body. Relays: messagedesk-relays.e2e-spec.ts.
 */

/** What the MessageDesk docs specify, as the messagedesk product profile sets it. */
const MESSAGEDESK_SETTINGS = {
  payloadProfile: 'messagedesk',
  signatureScheme: 'hmac-base64',
  signatureHeader: 'X-MessageDesk-Signature',
};

interface DeliveryRow {
  id: string;
  endpointId: string;
  eventId: string;
  status: string;
  attemptCount: number;
}

describe('MessageDesk webhooks', () => {
  let pipeline: Pipeline;
  let api: HeraldApiClient;
  let workspaceId: string;
  let receiver: MessageDeskReceiver;
  let endpoint: { id: string; secret: string } & Record<string, unknown>;

  beforeAll(async () => {
    pipeline = await startPipeline({ label: 'messagedesk-e2e' });
    ({ workspaceId, client: api } = await pipeline.admin.provisionWorkspace(
      `md-${randomUUID().slice(0, 6)}`,
    ));
    receiver = await MessageDeskReceiver.start();
    // Developer Tools: one workspace endpoint and its secret, pasted into the receiver.
    endpoint = await api.createEndpoint(workspaceId, {
      url: receiver.url('/messagedesk'),
      eventTypes: ['message.received'],
      productProfile: 'messagedesk',
      // MessageDesk lists no delays (the profile keeps Herald's hours-long default): the test's tiers.
      retrySchedule: FAST_RETRY_TIERS,
    });
    receiver.useSecret(endpoint.secret);
  });

  afterAll(async () => {
    await receiver?.stop();
    await pipeline?.stop();
  });

  const path = (rest: string) => `/v1/workspaces/${workspaceId}${rest}`;

  /** A message.received event carrying the seed's Message fields. */
  function messageReceived(text: string) {
    const event = sampleMessageReceived(workspaceId);
    event.data = {
      id: event.data.id,
      object: 'Message',
      workspaceId,
      conversationId: '01K6X3R5NNWKJCSZQY00000000',
      communicationType: 'sms',
      to: ['+17025550000'],
      from: '+17025551111',
      text,
      media: ['https://example.com'],
      outbound: false,
      createdAt: event.occurredAt,
    } as typeof event.data;
    return event;
  }

  async function produce(event: { id: string }): Promise<void> {
    await pipeline.producer.send({
      topic: 'domain.messages',
      messages: [{ key: event.id, value: JSON.stringify(event) }],
    });
  }

  /** The event's delivery once the log shows it in `status`. */
  function deliveryOf(eventId: string, status: string): Promise<DeliveryRow> {
    return eventually(async () => {
      const res = await api.call<{ data: DeliveryRow[] }>('GET', path(`/events/${eventId}/deliveries`));
      return res.data.find((d) => d.status === status);
    }, 60_000);
  }

  afterEach(() => {
    // Every delivery, whatever the test, verified with the seed's code.
    expect(receiver.rejected).toEqual([]);
  });

  it('sets the documented settings from the messagedesk profile, the retry schedule overridden', () => {
    expect(endpoint).toMatchObject({
      ...MESSAGEDESK_SETTINGS,
      productProfile: 'messagedesk',
      retrySchedule: FAST_RETRY_TIERS,
      profileOverrides: ['retrySchedule'],
    });
  });

  it('delivers the documented Event object, verified by the seed receiver on the re-parsed body', async () => {
    const event = messageReceived('The quick brown fox jumps over the lazy dog.');
    await produce(event);
    const [got] = await receiver.waitFor(1, (r) => r.event.id === event.id);
    expect(Object.keys(got.event)).toEqual([
      'id',
      'object',
      'name',
      'workspaceId',
      'createdAt',
      'dataType',
      'data',
    ]);
    expect(got.event).toEqual({
      id: event.id,
      object: 'Event',
      name: 'MessageReceived',
      workspaceId,
      createdAt: event.occurredAt,
      dataType: 'Message',
      data: event.data,
    });
    const data = got.event.data;
    expect(Object.keys(data)).toEqual(Object.keys(event.data));
    expect([typeof data.outbound, Array.isArray(data.to), Array.isArray(data.media)]).toEqual([
      'boolean',
      true,
      true,
    ]);
    expect(got.headers['x-messagedesk-signature']).toMatch(/^[A-Za-z0-9+/]+=*$/);
  });

  it('retries once after a 500: the same Event arrives again, verifies, and the log shows two attempts', async () => {
    receiver.failNext(1);
    const event = messageReceived('retry me');
    await produce(event);
    const [first, second] = await receiver.waitFor(2, (r) => r.event.id === event.id);
    expect([first.answered, second.answered]).toEqual([500, 200]);
    expect(second.event).toEqual(first.event);
    const delivery = await deliveryOf(event.id, 'succeeded');
    const detail = await eventually(async () => {
      const res = await api.call<{ attempts: { attempt: number; response: { status: number } | null }[] }>(
        'GET',
        path(`/deliveries/${delivery.id}`),
      );
      return res.attempts.length === 2 ? res : undefined;
    });
    expect(detail.attempts.map((a) => [a.attempt, a.response?.status])).toEqual([
      [1, 500],
      [2, 200],
    ]);
  });

  it('rotates the secret: the next delivery verifies with the new one and not with the old', async () => {
    const old = endpoint.secret;
    const rotated = await api.call<{ secret: string }>(
      'POST',
      path(`/endpoints/${endpoint.id}/secret/rotate`),
      { gracePeriod: '0s' },
    );
    expect(rotated.secret).not.toBe(old);
    // "Update your receiver immediately" (Developer Tools).
    receiver.useSecret(rotated.secret);
    const event = messageReceived('after rotation');
    await produce(event);
    const [got] = await receiver.waitFor(1, (r) => r.event.id === event.id);
    expect(validateMessageDeskSignature(rotated.secret, got.headers, got.event)).toBe(true);
    expect(validateMessageDeskSignature(old, got.headers, got.event)).toBe(false);
    endpoint = { ...endpoint, secret: rotated.secret };
  });

  it('lists a delivery that exhausted its retries as failed, and a manual retry delivers it', async () => {
    // The first attempt and one per tier.
    const attempts = FAST_RETRY_TIERS.length + 1;
    receiver.failNext(attempts);
    const event = messageReceived('fail until retried by hand');
    await produce(event);
    const failed = await eventually(async () => {
      const res = await api.call<{ data: DeliveryRow[] }>(
        'GET',
        path(`/deliveries?status=failed&endpointId=${endpoint.id}`),
      );
      return res.data.find((d) => d.eventId === event.id);
    }, 60_000);
    expect(failed.attemptCount).toBe(attempts);
    expect(receiver.verifiedEvent(event.id).map((r) => r.answered)).toEqual(Array(attempts).fill(500));

    const retry = await api.request<{ attempt: number }>('POST', path(`/deliveries/${failed.id}/retry`));
    expect(retry.status).toBe(202);
    const all = await receiver.waitFor(attempts + 1, (r) => r.event.id === event.id);
    expect(all[attempts].answered).toBe(200);
    const succeeded = await deliveryOf(event.id, 'succeeded');
    expect(succeeded.attemptCount).toBe(attempts + 1);
  });
});
