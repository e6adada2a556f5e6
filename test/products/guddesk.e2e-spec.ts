import { randomUUID } from 'node:crypto';
import type { HeraldApiClient } from '@herald/testing';
import { startPipeline, type Pipeline } from '../support/pipeline';
import {
  GudDeskAgentReceiver,
  verifyWebhook,
  type AgentView,
  type VerifiedDelivery,
} from './guddesk/receiver';
import {
  eventDeliveries,
  failThenRetryByHand,
  produceInOrder,
  retryAfterA500,
  rotateWithoutGrace,
  type FlowTarget,
  type Send,
} from './product-flows';

interface Registered {
  id: string;
  url: string;
  eventTypes: string[];
  secret: string;
}
interface DomainEvent {
  id: string;
  type: string;
  workspaceId: string;
  occurredAt: string;
  data: Record<string, unknown>;
}

/**
 * GudDesk (issue 18 item 4), as its seed documents it (/work/shared/seeds/003_*): an AI agent
 * auto-registers its URL with GudDesk's event flags and takes the signing secret from the answer,
 * gets the same endpoint and secret when it registers again, verifies X-GudDesk-Signature with the
 * seed's function, and unregisters by URL on shutdown; plus rotation, a retry after a 500, and a
 * failed delivery retried by hand. Every delivery is checked by ./guddesk/receiver.ts. The agent
 * registers with productProfile 'guddesk' (a fast retrySchedule overriding it); the sentinel agent
 * spells GudDesk's signature settings out instead.
 */
describe('GudDesk product', () => {
  let pipeline: Pipeline;
  let api: HeraldApiClient;
  let workspaceId: string;
  let agent: GudDeskAgentReceiver;
  let endpointId: string;
  /** Another agent, on every flag, on the pipeline's plain receiver: it sees what the router handled. */
  let sentinelId: string;
  let sentinelSecret: string;

  beforeAll(async () => {
    pipeline = await startPipeline({ label: 'guddesk-e2e' });
    agent = await GudDeskAgentReceiver.start();
    ({ workspaceId, client: api } = await pipeline.admin.provisionWorkspace(
      `gd-${randomUUID().slice(0, 6)}`,
    ));
    // Registered with GudDesk's settings spelled out instead of the profile: its deliveries verify too.
    const sentinel = await api.call<Registered>('PUT', path('/registrations'), {
      url: pipeline.receiver.url('/sentinel'),
      events: {
        onMessageCreated: true,
        onConversationCreated: true,
        onConversationClosed: true,
      },
      signatureScheme: 'hmac-sha256-prefixed',
      signatureHeader: 'X-GudDesk-Signature',
    });
    ({ id: sentinelId, secret: sentinelSecret } = sentinel);
  });

  afterAll(async () => {
    await agent?.stop();
    await pipeline?.stop();
  });

  function path(rest: string): string {
    return `/v1/workspaces/${workspaceId}${rest}`;
  }

  /** The agent's registration, as the seed's curl sends it, with GudDesk's signing settings. */
  const registration = () => ({
    url: agent.url('/webhook'),
    events: { onMessageCreated: true, onConversationCreated: true },
    productProfile: 'guddesk',
    // Overrides the profile's (Herald's default) schedule: one retry, then failed (FAST_RETRY_TIERS has 200ms).
    retrySchedule: ['200ms'],
  });
  const register = () => api.request<Registered>('PUT', path('/registrations'), registration());

  function event(type: string, data: Record<string, unknown> = {}): DomainEvent {
    const id = randomUUID();
    return {
      id,
      type,
      workspaceId,
      occurredAt: new Date().toISOString(),
      data: type.startsWith('message.')
        ? { id: `msg_${id.slice(0, 8)}`, conversationId: 'cnv_1', senderType: 'visitor', text: 'Hi', ...data }
        : {
            id: `cnv_${id.slice(0, 8)}`,
            status: type === 'conversation.closed' ? 'closed' : 'open',
            ...data,
          },
    };
  }
  const messageCreated = () => event('message.created');

  /** One key per call: the router handles the events in order, so a later one proves the earlier. */
  const produce = (topic: string, ...events: DomainEvent[]) =>
    produceInOrder(pipeline.producer, topic, events);
  const of = (e: DomainEvent) => (d: VerifiedDelivery) => d.payload.includes(e.id);
  const deliveriesOf = (e: DomainEvent) => eventDeliveries({ api, workspaceId }, e.id);

  /** The agent's endpoint, for the shared flows; each sends one fresh message.created. */
  const target = (): FlowTarget<AgentView> => ({ api, workspaceId, endpointId, receiver: agent });
  const sendMessage: Send<AgentView> = async () => {
    const message = messageCreated();
    await produce('domain.messages', message);
    return { eventId: message.id, of: of(message) };
  };

  /** The sentinel got `e`, and the delivery log has it for the sentinel only. */
  async function routedPastTheAgent(e: DomainEvent): Promise<void> {
    const [seen] = await pipeline.receiver.waitFor(
      1,
      (r) => r.path === '/sentinel' && r.body.toString('utf8').includes(e.id),
    );
    const signature = seen.headers['x-guddesk-signature'] as string;
    expect(verifyWebhook(seen.body.toString('utf8'), signature, sentinelSecret)).toBe(true);
    expect((await deliveriesOf(e)).map((d) => d.endpointId)).toEqual([sentinelId]);
    expect(agent.verified.filter(of(e))).toHaveLength(0);
  }

  it('auto-registers with event flags, gets its secret, and gets the same endpoint and secret again', async () => {
    const first = await register();
    expect(first.status).toBe(201);
    expect(first.body.url).toBe(agent.url('/webhook'));
    // The profile alone set GudDesk's signature; the body is Herald's envelope (the seed shows none).
    expect(first.body).toMatchObject({
      productProfile: 'guddesk',
      payloadProfile: 'herald',
      signatureScheme: 'hmac-sha256-prefixed',
      signatureHeader: 'X-GudDesk-Signature',
      retrySchedule: ['200ms'],
      profileOverrides: ['retrySchedule'],
    });
    expect(first.body.eventTypes).toEqual(['message.created', 'conversation.created']);
    expect(first.body.secret).toEqual(expect.any(String));
    endpointId = first.body.id;
    agent.useSecret(first.body.secret);

    // The agent's next start: "If a webhook with the same URL already exists, the existing endpoint is returned."
    const again = await register();
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(endpointId);
    expect(again.body.secret).toBe(first.body.secret);
    const listed = await api.call<{ data: { url: string }[] }>('GET', path('/endpoints?limit=100'));
    expect(listed.data.filter((e) => e.url === agent.url('/webhook'))).toHaveLength(1);
  });

  it('receives message.created and conversation.created, signed as the seed verifies, but not conversation.closed', async () => {
    const closed = event('conversation.closed');
    const started = event('conversation.created');
    const message = messageCreated();
    await produce('domain.conversations', closed, started);
    await produce('domain.messages', message);
    const [conversation] = await agent.waitFor(1, of(started));
    const [created] = await agent.waitFor(1, of(message));
    // GudDesk's docs show no body, so the agent reads Herald's envelope, the profile's default shape.
    for (const [delivery, sent] of [
      [conversation, started],
      [created, message],
    ] as const) {
      expect(delivery.path).toBe('/webhook');
      expect(delivery.headers['x-guddesk-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
      expect(delivery.body).toEqual({
        id: sent.id,
        type: sent.type,
        workspaceId,
        occurredAt: sent.occurredAt,
        data: sent.data,
      });
    }
    await routedPastTheAgent(closed);
    expect(agent.rejected).toEqual([]);
  });

  it('after a rotation signs with the new secret only, which registering again also returns', async () => {
    const previous = (await register()).body.secret;
    await rotateWithoutGrace(target(), sendMessage, {
      previous,
      // The agent restarts and takes its secret from the registration's answer, as it always does.
      adopt: async (rotated) => {
        const again = await register();
        expect(again.body.id).toBe(endpointId);
        expect(again.body.secret).toBe(rotated);
        return again.body.secret;
      },
      verifies: (d, secret) => verifyWebhook(d.payload, d.headers['x-guddesk-signature'] as string, secret),
    });
    expect(agent.rejected).toEqual([]);
  });

  it('retries after a 500: the same payload arrives again, verifies, and the log shows two attempts', async () => {
    const { first, second, detail } = await retryAfterA500(target(), sendMessage);
    expect(second.payload).toBe(first.payload);
    expect(agent.rejected).toEqual([]);
    expect(detail.attempts.map((a) => a.outcome)).toEqual(['retry_scheduled', 'succeeded']);
  });

  it('lists a delivery that exhausted its retries as failed, and a manual retry delivers it', async () => {
    // The first attempt and the one retry of the overridden schedule.
    const { arrived } = await failThenRetryByHand(target(), sendMessage, 2);
    expect(arrived[2].payload).toBe(arrived[0].payload);
    expect(agent.rejected).toEqual([]);
  });

  it('unregisters by URL on shutdown and then receives nothing more', async () => {
    const res = await api.request('DELETE', path('/registrations'), { url: agent.url('/webhook') });
    expect(res.status).toBe(204);
    const message = messageCreated();
    await produce('domain.messages', message);
    await routedPastTheAgent(message);
    // Over the whole run: only the two registered types, and every delivery verified.
    expect(new Set(agent.verified.map((d) => d.body.type))).toEqual(
      new Set(['message.created', 'conversation.created']),
    );
    expect(agent.rejected).toEqual([]);
  });
});
