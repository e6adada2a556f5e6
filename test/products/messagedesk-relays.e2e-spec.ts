import { randomUUID } from 'node:crypto';
import { Topics } from '@herald/contracts';
import { SubscriptionIndex, validateFilter } from '@herald/matching';
import { KafkaTap, sampleEndpointSnapshot, type HeraldApiClient, type TappedRecord } from '@herald/testing';
import { startPipeline, type Pipeline } from '../support/pipeline';
import { MessageDeskReceiver } from './messagedesk/receiver';
import { relaysToEndpoint, type Relay } from './messagedesk/relays';
import { SENTINEL_TEXT, messageEvent, routeAndSettle } from './messagedesk/relay-events';

/**
 * MessageDesk relays (issue 18 item 2) as the README's "MessageDesk relays" maps them: one Herald
 * endpoint per MessageDesk workspace endpoint, its filter the OR of the active relays' clauses.
 */

const smsReceived: Relay = {
  id: 'sms-received',
  trigger: 'MessageReceived',
  conditions: [{ field: 'communicationType', is: 'sms' }],
  on: true,
};
const urgentSent: Relay = {
  id: 'urgent-sent',
  trigger: 'MessageSent',
  conditions: [{ field: 'text', contains: 'urgent' }],
  on: true,
};
const refundReceived: Relay = {
  id: 'refund-received',
  trigger: 'MessageReceived',
  conditions: [{ field: 'text', contains: 'refund' }],
  on: false,
};

const DEFAULT_REGEX_LIMITS = { maxLength: 256, maxTotalCost: 100 };

describe('relaysToEndpoint, matched as the router matches', () => {
  const matches = (relays: Relay[], event: ReturnType<typeof messageEvent>) => {
    const routing = relaysToEndpoint(relays);
    validateFilter(routing.filter, DEFAULT_REGEX_LIMITS);
    const index = new SubscriptionIndex();
    index.upsert(sampleEndpointSnapshot({ id: 'ep', workspaceId: 'ws', ...routing }));
    return index.match(event).length;
  };
  const event = (type: 'message.received' | 'message.sent', communicationType: string, text: string) =>
    messageEvent('ws', type, { communicationType, text });

  it('ORs the active relays, each its trigger AND its conditions, and skips paused ones', () => {
    const relays = [smsReceived, urgentSent, refundReceived];
    expect(relaysToEndpoint(relays).eventTypes).toEqual(['message.received', 'message.sent']);
    expect(matches(relays, event('message.received', 'sms', 'hi'))).toBe(1);
    expect(matches(relays, event('message.sent', 'email', 'URGENT now'))).toBe(1);
    // A condition applies only with its own trigger, never across relays.
    expect(matches(relays, event('message.received', 'email', 'urgent'))).toBe(0);
    expect(matches(relays, event('message.sent', 'sms', 'hello'))).toBe(0);
    // Paused: its clause is gone.
    expect(matches(relays, event('message.received', 'email', 'refund please'))).toBe(0);
    expect(
      matches([smsReceived, { ...refundReceived, on: true }], event('message.received', 'email', 'refund')),
    ).toBe(1);
  });

  it('disables the endpoint, matching nothing, when every relay is paused', () => {
    const routing = relaysToEndpoint([{ ...smsReceived, on: false }]);
    expect(routing.disabled).toBe(true);
    expect(matches([{ ...smsReceived, on: false }], event('message.received', 'sms', 'hi'))).toBe(0);
    // Even enabled, the filter it keeps matches nothing.
    const index = new SubscriptionIndex();
    index.upsert(sampleEndpointSnapshot({ id: 'ep', workspaceId: 'ws', ...routing, disabled: false }));
    expect(index.match(event('message.received', 'sms', 'hi'))).toEqual([]);
  });

  it('takes contains text literally, and runs into the regex cost limit at five contains conditions', () => {
    const dots: Relay = { ...urgentSent, conditions: [{ field: 'text', contains: 'a.b' }] };
    expect(matches([dots], event('message.sent', 'sms', 'xa.by'))).toBe(1);
    expect(matches([dots], event('message.sent', 'sms', 'axb'))).toBe(0);
    const words = ['one', 'two', 'three', 'four', 'five'];
    const many = words.map((word, i): Relay => ({
      ...urgentSent,
      id: `r${i}`,
      conditions: [{ field: 'text', contains: word }],
    }));
    expect(() =>
      validateFilter(relaysToEndpoint(many.slice(0, 4)).filter, DEFAULT_REGEX_LIMITS),
    ).not.toThrow();
    expect(() => validateFilter(relaysToEndpoint(many).filter, DEFAULT_REGEX_LIMITS)).toThrow(/cost/);
  });
});

describe('MessageDesk relays through Herald', () => {
  let pipeline: Pipeline;
  let api: HeraldApiClient;
  let workspaceId: string;
  let receiver: MessageDeskReceiver;
  let tap: KafkaTap<TappedRecord>;
  let sentinelId: string;

  beforeAll(async () => {
    pipeline = await startPipeline({
      label: 'messagedesk-relays-e2e',
      services: ['api', 'router', 'dispatcher'],
    });
    tap = await KafkaTap.recording(pipeline.env.kafkaBrokers, [Topics.deliveries], 'md-relays');
    ({ workspaceId, client: api } = await pipeline.admin.provisionWorkspace(
      `mdr-${randomUUID().slice(0, 6)}`,
    ));
    receiver = await MessageDeskReceiver.start();
    // Test scaffolding, not part of the mapping: its delivery proves the router read that far.
    const sentinel = await api.createEndpoint(workspaceId, {
      url: pipeline.receiver.url('/sentinel'),
      eventTypes: ['message.sent'],
      filter: { 'data.text': SENTINEL_TEXT },
    });
    sentinelId = sentinel.id;
  });

  afterAll(async () => {
    await tap?.stop();
    await receiver?.stop();
    await pipeline?.stop();
  });

  it('delivers exactly the events of active relays, and follows pauses made by PATCH', async () => {
    let relays = [smsReceived, urgentSent, refundReceived];
    const endpoint = await api.createEndpoint(workspaceId, {
      url: receiver.url('/relays'),
      // Field by field, not productProfile (the product e2e uses that): explicit settings still work.
      payloadProfile: 'messagedesk',
      signatureScheme: 'hmac-base64',
      signatureHeader: 'X-MessageDesk-Signature',
      ...relaysToEndpoint(relays),
    });
    receiver.useSecret(endpoint.secret);
    const endpointPath = `/v1/workspaces/${workspaceId}/endpoints/${endpoint.id}`;
    const setRelays = async (next: Relay[]) => {
      relays = next;
      return api.call<{ disabled: boolean; eventTypes: string[] }>(
        'PATCH',
        endpointPath,
        relaysToEndpoint(relays),
      );
    };
    const on = (relay: Relay, value: boolean) => ({ ...relay, on: value });
    const ev = (type: 'message.received' | 'message.sent', communicationType: string, text: string) =>
      messageEvent(workspaceId, type, { communicationType, text });

    /** Routes the events, then checks which reached the endpoint (once each) and verified. */
    const expectDelivered = async (events: ReturnType<typeof ev>[], expected: ReturnType<typeof ev>[]) => {
      const counts = await routeAndSettle(
        pipeline.producer,
        tap,
        { workspaceId, endpointId: sentinelId },
        endpoint.id,
        events,
      );
      expect(Object.fromEntries(counts)).toEqual(Object.fromEntries(expected.map((e) => [e.id, 1])));
      const expectedIds = new Set(expected.map((e) => e.id));
      await receiver.waitFor(expected.length, (r) => expectedIds.has(r.event.id));
      for (const e of expected) {
        const [got] = receiver.verifiedEvent(e.id);
        // The Event's name is the trigger of the relay that fired.
        expect(got.event.name).toBe(e.type === 'message.sent' ? 'MessageSent' : 'MessageReceived');
      }
      const ids = new Set(events.map((e) => e.id));
      expect(receiver.verified.filter((r) => ids.has(r.event.id))).toHaveLength(expected.length);
    };

    // smsReceived and urgentSent on, refundReceived paused.
    const a = [
      ev('message.received', 'sms', 'hi'),
      ev('message.received', 'email', 'refund please'),
      ev('message.sent', 'sms', 'URGENT: call back'),
      ev('message.sent', 'sms', 'hello'),
      ev('message.received', 'mms', 'urgent'),
    ];
    await expectDelivered(a, [a[0], a[2]]);

    // Pause smsReceived, switch refundReceived on.
    await setRelays([on(smsReceived, false), urgentSent, on(refundReceived, true)]);
    const b = [
      ev('message.received', 'sms', 'hi'),
      ev('message.received', 'email', 'refund please'),
      ev('message.sent', 'email', 'urgent too'),
    ];
    await expectDelivered(b, [b[1], b[2]]);

    // All three on: an SMS asking for a refund matches two relays and is delivered once.
    await setRelays([smsReceived, urgentSent, on(refundReceived, true)]);
    const c = [ev('message.received', 'sms', 'refund please'), ev('message.received', 'sms', 'hi')];
    await expectDelivered(c, [c[0], c[1]]);

    // Every relay paused: the endpoint is disabled and gets nothing.
    const paused = await setRelays(relays.map((relay) => on(relay, false)));
    expect(paused.disabled).toBe(true);
    const d = [ev('message.received', 'sms', 'refund please'), ev('message.sent', 'sms', 'urgent')];
    await expectDelivered(d, []);

    // One back on: enabled again, with that relay's clause only.
    const resumed = await setRelays([on(smsReceived, false), urgentSent, on(refundReceived, false)]);
    expect([resumed.disabled, resumed.eventTypes]).toEqual([false, ['message.sent']]);
    const e = [ev('message.received', 'sms', 'hi'), ev('message.sent', 'sms', 'urgent again')];
    await expectDelivered(e, [e[1]]);

    expect(receiver.rejected).toEqual([]);
  });

  it('keeps one endpoint per URL: a second create for the same URL changes the first (per-relay endpoints cannot share it)', async () => {
    const url = receiver.url('/one-url');
    const first = await api.createEndpoint(workspaceId, { url, eventTypes: ['message.received'] });
    const second = await api.request<{ id: string; secret?: string; eventTypes: string[] }>(
      'POST',
      `/v1/workspaces/${workspaceId}/endpoints`,
      { url, eventTypes: ['message.sent'] },
    );
    expect(second.status).toBe(200);
    expect([second.body.id, second.body.secret, second.body.eventTypes]).toEqual([
      first.id,
      undefined,
      ['message.sent'],
    ]);
  });
});
