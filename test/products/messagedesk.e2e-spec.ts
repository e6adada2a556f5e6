import { randomUUID } from 'node:crypto';
import { FAST_RETRY_TIERS, sampleMessageReceived, type HeraldApiClient } from '@herald/testing';
import { startPipeline, type Pipeline } from '../support/pipeline';
import {
  MessageDeskReceiver,
  validateMessageDeskSignature,
  type MessageDeskView,
} from './messagedesk/receiver';
import {
  failThenRetryByHand,
  produceInOrder,
  retryAfterA500,
  rotateWithoutGrace,
  type FlowTarget,
  type Send,
} from './product-flows';

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

  const produce = (event: { id: string }) => produceInOrder(pipeline.producer, 'domain.messages', [event]);

  /** The workspace endpoint, for the shared flows; `send(text)` produces one message.received. */
  const target = (): FlowTarget<MessageDeskView> => ({ api, workspaceId, endpointId: endpoint.id, receiver });
  const send =
    (text: string): Send<MessageDeskView> =>
    async () => {
      const event = messageReceived(text);
      await produce(event);
      return { eventId: event.id, of: (r) => r.event.id === event.id };
    };

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
    const { first, second } = await retryAfterA500(target(), send('retry me'));
    expect(second.event).toEqual(first.event);
  });

  it('rotates the secret: the next delivery verifies with the new one and not with the old', async () => {
    // "Update your receiver immediately" (Developer Tools): the receiver takes the rotation's answer.
    const secret = await rotateWithoutGrace(target(), send('after rotation'), {
      previous: endpoint.secret,
      verifies: (got, apiSecret) => validateMessageDeskSignature(apiSecret, got.headers, got.event),
    });
    endpoint = { ...endpoint, secret };
  });

  it('lists a delivery that exhausted its retries as failed, and a manual retry delivers it', async () => {
    // The first attempt and one per tier.
    const attempts = FAST_RETRY_TIERS.length + 1;
    const { succeeded } = await failThenRetryByHand(target(), send('fail until retried by hand'), attempts);
    expect(succeeded.attemptCount).toBe(attempts + 1);
  });
});
