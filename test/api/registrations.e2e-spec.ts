import { createHmac, randomUUID } from 'node:crypto';
import type { HeraldApiClient } from '@herald/testing';
import { startPipeline, type Pipeline } from '../support/pipeline';

interface Registered {
  id: string;
  url: string;
  eventTypes: string[];
  secret: string;
  version: number;
}

/** GudDesk's documented check: `sha256=` + hex HMAC-SHA256 of the raw body. */
function gudDeskSignatureValid(payload: string, signature: string, secret: string): boolean {
  const expected = createHmac('sha256', secret).update(payload).digest('hex');
  return `sha256=${expected}` === signature;
}

/**
 * GudDesk agent auto-registration (issue 18 item 2): an agent registers its URL and events with a key,
 * gets the endpoint and its secret back, gets the same endpoint and secret on every later registration
 * (also when two race), receives deliveries signed with that secret, and unregisters by URL.
 */
describe('agent registrations', () => {
  let pipeline: Pipeline;
  let api: HeraldApiClient;
  let workspaceId: string;

  beforeAll(async () => {
    pipeline = await startPipeline({ label: 'registrations-e2e' });
    ({ workspaceId, client: api } = await pipeline.admin.provisionWorkspace(
      `reg-${randomUUID().slice(0, 6)}`,
    ));
  });

  afterAll(async () => {
    await pipeline?.stop();
  });

  const path = (rest = '') => `/v1/workspaces/${workspaceId}${rest}`;
  const gudDeskAgent = (url: string, events: unknown) => ({
    url,
    events,
    signatureScheme: 'hmac-sha256-prefixed',
    signatureHeader: 'X-GudDesk-Signature',
  });

  it('two concurrent registrations of one URL yield one endpoint and the same secret', async () => {
    const url = pipeline.receiver.url(`/agent-${randomUUID().slice(0, 8)}`);
    const body = gudDeskAgent(url, { onConversationCreated: true, onConversationClosed: false });
    const [a, b] = await Promise.all([
      api.request<Registered>('PUT', path('/registrations'), body),
      api.request<Registered>('PUT', path('/registrations'), body),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 201]);
    expect(a.body.id).toBe(b.body.id);
    expect(a.body.secret).toEqual(expect.any(String));
    expect(a.body.secret).toBe(b.body.secret);
    expect(a.body.eventTypes).toEqual(['conversation.created']);

    const listed = await api.call<{ data: { id: string; url: string }[] }>(
      'GET',
      path('/endpoints?limit=100'),
    );
    expect(listed.data.filter((e) => e.url === url)).toHaveLength(1);

    // Registering again (the agent's next start) updates its events and keeps endpoint and secret.
    const again = await api.request<Registered>(
      'PUT',
      path('/registrations'),
      gudDeskAgent(url, { onConversationCreated: true, onConversationAssigned: true }),
    );
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(a.body.id);
    expect(again.body.secret).toBe(a.body.secret);
    expect(again.body.eventTypes).toEqual(['conversation.created', 'conversation.assigned']);
  });

  it('delivers to the registered URL signed with the returned secret', async () => {
    const hookPath = `/agent-${randomUUID().slice(0, 8)}`;
    const registered = await api.call<Registered>(
      'PUT',
      path('/registrations'),
      gudDeskAgent(pipeline.receiver.url(hookPath), { onConversationCreated: true }),
    );
    const eventId = randomUUID();
    const event = {
      id: eventId,
      type: 'conversation.created',
      workspaceId,
      occurredAt: new Date().toISOString(),
      data: { id: `cnv_${eventId.slice(0, 8)}`, status: 'open' },
    };
    await pipeline.producer.send({
      topic: 'domain.conversations',
      messages: [{ key: event.id, value: JSON.stringify(event) }],
    });
    const [request] = await pipeline.receiver.waitFor(
      1,
      (r) => r.path === hookPath && r.body.toString('utf8').includes(eventId),
    );
    const signature = request.headers['x-guddesk-signature'];
    expect(typeof signature).toBe('string');
    expect(gudDeskSignatureValid(request.body.toString('utf8'), signature as string, registered.secret)).toBe(
      true,
    );
  });

  it('accepts catalogue types and refuses unknown GudDesk flags with 422', async () => {
    const url = pipeline.receiver.url(`/agent-${randomUUID().slice(0, 8)}`);
    const typed = await api.request<Registered>('PUT', path('/registrations'), {
      url,
      events: ['lead.created'],
    });
    expect(typed.status).toBe(201);
    expect(typed.body.eventTypes).toEqual(['lead.created']);
    const refused = await api.request<{ error: { code: string } }>('PUT', path('/registrations'), {
      url,
      events: { onTicketOpened: true },
    });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('VALIDATION_FAILED');
  });

  it('refuses a role that may not read secrets', async () => {
    const viewer = api.withToken((await api.createApiKey(workspaceId, 'viewer', 'reg-viewer')).key);
    const res = await viewer.request('PUT', path('/registrations'), {
      url: pipeline.receiver.url('/viewer'),
      events: ['lead.created'],
    });
    expect(res.status).toBe(403);
  });

  it('unregisters by URL, as a query parameter or in the body', async () => {
    for (const how of ['query', 'body'] as const) {
      const url = pipeline.receiver.url(`/agent-${how}-${randomUUID().slice(0, 8)}`);
      const registered = await api.call<Registered>('PUT', path('/registrations'), {
        url,
        events: { onMessageCreated: true },
      });
      const res =
        how === 'query'
          ? await api.request('DELETE', path(`/registrations?url=${encodeURIComponent(url)}`))
          : await api.request('DELETE', path('/registrations'), { url });
      expect(res.status).toBe(204);
      expect((await api.request('GET', path(`/endpoints/${registered.id}`))).status).toBe(404);
      // Nothing is left to unregister.
      expect((await api.request('DELETE', path('/registrations'), { url })).status).toBe(404);
    }
    expect((await api.request('DELETE', path('/registrations'))).status).toBe(400);
  });
});
