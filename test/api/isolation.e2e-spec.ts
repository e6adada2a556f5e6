import { randomUUID } from 'node:crypto';
import type { Producer } from 'kafkajs';
import { Topics, type DeliveryRequested } from '@herald/contracts';
import { HeraldApiClient, HeraldProcess, eventually } from '@herald/testing';
import { startPipeline, type Pipeline } from '../support/pipeline';

/**
 * Workspace isolation and roles: a key never reads or changes another workspace, however the ids are
 * guessed; 401, 403 and 404 mean one thing each.
 */
describe('isolation and roles', () => {
  let pipeline: Pipeline;
  let herald: HeraldProcess;
  let producer: Producer;
  let admin: HeraldApiClient;
  const ws: Record<
    'a' | 'b',
    { id: string; owner: HeraldApiClient; endpointId: string; deliveryId: string; eventId: string }
  > = {} as never;
  const url = (path: string) => `http://127.0.0.1:9/${path}`;

  beforeAll(async () => {
    pipeline = await startPipeline({
      label: 'isolation-test',
      migrate: true,
      services: ['api', 'projector'],
    });
    ({ herald, producer, admin } = pipeline);
    for (const name of ['a', 'b'] as const) {
      const { workspaceId, client } = await admin.provisionWorkspace(
        `iso-${name}-${randomUUID().slice(0, 4)}`,
      );
      const endpoint = await client.createEndpoint(workspaceId, {
        url: url(name),
        eventTypes: ['message.*'],
      });
      const eventId = randomUUID();
      const delivery: DeliveryRequested = {
        kind: 'DeliveryRequested',
        deliveryId: randomUUID(),
        workspaceId,
        endpointId: endpoint.id,
        eventId,
        eventType: 'message.received',
        occurredAt: new Date().toISOString(),
        attempt: 1,
        payload: '{"hello":"world"}',
        requestedAt: new Date().toISOString(),
        trigger: 'event',
      };
      delivery.createdAt = delivery.requestedAt;
      await producer.send({
        topic: Topics.deliveries,
        messages: [{ key: endpoint.id, value: JSON.stringify(delivery) }],
      });
      ws[name] = {
        id: workspaceId,
        owner: client,
        endpointId: endpoint.id,
        deliveryId: delivery.deliveryId,
        eventId,
      };
    }
    for (const name of ['a', 'b'] as const) {
      await eventually(async () => {
        const res = await ws[name].owner.request(
          'GET',
          `/v1/workspaces/${ws[name].id}/deliveries/${ws[name].deliveryId}`,
        );
        return res.status === 200 ? true : undefined;
      }, 20_000);
    }
  });

  afterAll(async () => {
    await pipeline?.stop();
  });

  it('answers 401 without a valid bearer token', async () => {
    const none = await fetch(`${herald.apiUrl}/v1/workspaces/${ws.a.id}/endpoints`);
    expect(none.status).toBe(401);
    const body = (await none.json()) as { error: { code: string } };
    expect(body.error.code).toBe('UNAUTHENTICATED');
    const wrong = await admin
      .withToken('hk_not-a-real-key')
      .request('GET', `/v1/workspaces/${ws.a.id}/endpoints`);
    expect(wrong.status).toBe(401);
    const basic = await fetch(`${herald.apiUrl}/v1/event-types`, { headers: { authorization: 'Basic abc' } });
    expect(basic.status).toBe(401);
  });

  it('answers 403 for another workspace in the path, for every route, whatever the ids', async () => {
    const b = ws.b;
    const foreign = ws.a.owner;
    const routes: [string, string, unknown?][] = [
      ['GET', `/v1/workspaces/${b.id}`],
      ['GET', `/v1/workspaces/${b.id}/endpoints`],
      ['POST', `/v1/workspaces/${b.id}/endpoints`, { url: url('x'), eventTypes: ['message.*'] }],
      ['DELETE', `/v1/workspaces/${b.id}/endpoints`, { id: b.endpointId }],
      ['GET', `/v1/workspaces/${b.id}/endpoints/${b.endpointId}`],
      ['PATCH', `/v1/workspaces/${b.id}/endpoints/${b.endpointId}`, { disabled: true }],
      ['DELETE', `/v1/workspaces/${b.id}/endpoints/${b.endpointId}`],
      ['POST', `/v1/workspaces/${b.id}/endpoints/${b.endpointId}/test`],
      ['GET', `/v1/workspaces/${b.id}/endpoints/${b.endpointId}/secret`],
      ['POST', `/v1/workspaces/${b.id}/endpoints/${b.endpointId}/secret/rotate`, {}],
      ['POST', `/v1/workspaces/${b.id}/endpoints/${b.endpointId}/recover`, { since: '2020-01-01T00:00:00Z' }],
      [
        'POST',
        `/v1/workspaces/${b.id}/endpoints/${b.endpointId}/backfill`,
        { since: '2020-01-01T00:00:00Z' },
      ],
      ['GET', `/v1/workspaces/${b.id}/deliveries`],
      ['GET', `/v1/workspaces/${b.id}/deliveries/${b.deliveryId}`],
      ['POST', `/v1/workspaces/${b.id}/deliveries/${b.deliveryId}/retry`],
      ['GET', `/v1/workspaces/${b.id}/events/${b.eventId}/deliveries`],
      ['GET', `/v1/workspaces/${b.id}/jobs/${randomUUID()}`],
      ['GET', `/v1/workspaces/${b.id}/endpoints/${b.endpointId}/operational-events`],
      ['POST', `/v1/workspaces/${b.id}/api-keys`, { name: 'steal', role: 'owner' }],
      ['GET', `/v1/workspaces/${b.id}/api-keys`],
    ];
    for (const [method, path, body] of routes) {
      const res = await foreign.request(method, path, body);
      expect({ method, path, status: res.status }).toEqual({ method, path, status: 403 });
    }
    // Nothing changed in b.
    const endpoint = await b.owner.call<{ disabled: boolean; version: number }>(
      'GET',
      `/v1/workspaces/${b.id}/endpoints/${b.endpointId}`,
    );
    expect(endpoint).toMatchObject({ disabled: false, version: 1 });
  });

  it("answers 404 for another workspace's ids under the key's own workspace", async () => {
    const a = ws.a;
    const b = ws.b;
    const routes: [string, string, unknown?][] = [
      ['GET', `/v1/workspaces/${a.id}/endpoints/${b.endpointId}`],
      ['PATCH', `/v1/workspaces/${a.id}/endpoints/${b.endpointId}`, { disabled: true }],
      ['DELETE', `/v1/workspaces/${a.id}/endpoints/${b.endpointId}`],
      ['DELETE', `/v1/workspaces/${a.id}/endpoints`, { id: b.endpointId }],
      ['POST', `/v1/workspaces/${a.id}/endpoints/${b.endpointId}/test`],
      ['GET', `/v1/workspaces/${a.id}/endpoints/${b.endpointId}/secret`],
      ['POST', `/v1/workspaces/${a.id}/endpoints/${b.endpointId}/secret/rotate`, {}],
      ['POST', `/v1/workspaces/${a.id}/endpoints/${b.endpointId}/recover`, { since: '2020-01-01T00:00:00Z' }],
      [
        'POST',
        `/v1/workspaces/${a.id}/endpoints/${b.endpointId}/backfill`,
        { since: '2020-01-01T00:00:00Z' },
      ],
      ['GET', `/v1/workspaces/${a.id}/deliveries/${b.deliveryId}`],
      ['POST', `/v1/workspaces/${a.id}/deliveries/${b.deliveryId}/retry`],
      ['GET', `/v1/workspaces/${a.id}/endpoints/not-a-uuid`],
    ];
    for (const [method, path, body] of routes) {
      const res = await a.owner.request(method, path, body);
      expect({ method, path, status: res.status }).toEqual({ method, path, status: 404 });
    }
    const byEvent = await a.owner.call<{ data: unknown[] }>(
      'GET',
      `/v1/workspaces/${a.id}/events/${b.eventId}/deliveries`,
    );
    expect(byEvent.data).toEqual([]);
    const list = await a.owner.call<{ data: { workspaceId: string }[] }>(
      'GET',
      `/v1/workspaces/${a.id}/deliveries`,
    );
    expect(list.data.length).toBeGreaterThan(0);
    expect(list.data.every((d) => d.workspaceId === a.id)).toBe(true);
    const endpoints = await a.owner.call<{ data: { id: string }[] }>(
      'GET',
      `/v1/workspaces/${a.id}/endpoints`,
    );
    expect(endpoints.data.map((e) => e.id)).toEqual([a.endpointId]);
  });

  it('lets the operator token manage any workspace, and 404s one that does not exist', async () => {
    expect(
      (await admin.request('GET', `/v1/workspaces/${ws.b.id}/endpoints/${ws.b.endpointId}`)).status,
    ).toBe(200);
    expect((await admin.request('GET', `/v1/workspaces/no-such-ws/endpoints`)).status).toBe(404);
    // Workspace keys cannot create workspaces.
    expect((await ws.a.owner.request('POST', '/v1/workspaces', { name: 'mine' })).status).toBe(403);
  });

  it('enforces roles: viewer reads only, developer manages endpoints but not keys', async () => {
    const a = ws.a;
    const viewerKey = await a.owner.call<{ key: string; role: string }>(
      'POST',
      `/v1/workspaces/${a.id}/api-keys`,
      {
        name: 'viewer',
        role: 'viewer',
      },
    );
    expect(viewerKey.key).toMatch(/^hk_/);
    const developerKey = await a.owner.call<{ key: string }>('POST', `/v1/workspaces/${a.id}/api-keys`, {
      name: 'dev',
      role: 'developer',
    });
    const viewer = a.owner.withToken(viewerKey.key);
    const developer = a.owner.withToken(developerKey.key);

    expect((await viewer.request('GET', `/v1/workspaces/${a.id}/endpoints`)).status).toBe(200);
    // Custom header values (often the receiver's credentials) are write-only: no role sees them again.
    await a.owner.call('PATCH', `/v1/workspaces/${a.id}/endpoints/${a.endpointId}`, {
      headers: { 'X-Partner-Token': 'partner-secret' },
    });
    const seen = await viewer.call<{ headers: Record<string, string> }>(
      'GET',
      `/v1/workspaces/${a.id}/endpoints/${a.endpointId}`,
    );
    expect(seen.headers).toEqual({ 'X-Partner-Token': '[redacted]' });
    const listed = await viewer.call<{ data: { headers: Record<string, string> }[] }>(
      'GET',
      `/v1/workspaces/${a.id}/endpoints`,
    );
    expect(listed.data[0].headers).toEqual({ 'X-Partner-Token': '[redacted]' });
    const shown = await a.owner.call<{ headers: Record<string, string> }>(
      'GET',
      `/v1/workspaces/${a.id}/endpoints/${a.endpointId}`,
    );
    expect(shown.headers).toEqual({ 'X-Partner-Token': '[redacted]' });
    expect((await viewer.request('GET', `/v1/workspaces/${a.id}/deliveries`)).status).toBe(200);
    expect((await viewer.request('GET', `/v1/event-types`)).status).toBe(200);
    expect(
      (await viewer.request('GET', `/v1/workspaces/${a.id}/endpoints/${a.endpointId}/secret`)).status,
    ).toBe(403);
    expect(
      (
        await viewer.request('PATCH', `/v1/workspaces/${a.id}/endpoints/${a.endpointId}`, {
          description: 'x',
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await viewer.request('POST', `/v1/workspaces/${a.id}/endpoints`, {
          url: url('v'),
          eventTypes: ['lead.created'],
        })
      ).status,
    ).toBe(403);
    expect(
      (await viewer.request('POST', `/v1/workspaces/${a.id}/deliveries/${a.deliveryId}/retry`)).status,
    ).toBe(403);
    expect(
      (await viewer.request('POST', `/v1/workspaces/${a.id}/api-keys`, { name: 'x', role: 'owner' })).status,
    ).toBe(403);

    expect(
      (await developer.request('GET', `/v1/workspaces/${a.id}/endpoints/${a.endpointId}/secret`)).status,
    ).toBe(200);
    expect(
      (
        await developer.request('PATCH', `/v1/workspaces/${a.id}/endpoints/${a.endpointId}`, {
          description: 'dev',
        })
      ).status,
    ).toBe(200);
    expect(
      (await developer.request('POST', `/v1/workspaces/${a.id}/deliveries/${a.deliveryId}/retry`)).status,
    ).toBe(202);
    expect(
      (await developer.request('POST', `/v1/workspaces/${a.id}/api-keys`, { name: 'x', role: 'owner' }))
        .status,
    ).toBe(403);
    expect((await developer.request('GET', `/v1/workspaces/${a.id}/api-keys`)).status).toBe(403);

    // Revoked keys stop working at once.
    const keys = await a.owner.call<{ data: { id: string; name: string }[] }>(
      'GET',
      `/v1/workspaces/${a.id}/api-keys`,
    );
    const viewerId = keys.data.find((k) => k.name === 'viewer')!.id;
    expect((await a.owner.request('DELETE', `/v1/workspaces/${a.id}/api-keys/${viewerId}`)).status).toBe(204);
    expect((await viewer.request('GET', `/v1/workspaces/${a.id}/endpoints`)).status).toBe(401);
  });
});
