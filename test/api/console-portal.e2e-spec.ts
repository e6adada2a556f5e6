import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { eventually, type HeraldApiClient } from '@herald/testing';
import { startPipeline, type Pipeline } from '../support/pipeline';

interface Created {
  id: string;
  url: string;
  token: string;
  expiresAt: string;
  endpointIds: string[] | null;
  permissions: string[];
  branding: Record<string, string>;
}
interface ErrorBody {
  error: { code: string; message: string };
}

/**
 * Portal links through HTTP: minted by a workspace admin, a link sees its workspace and only its
 * endpoints (and their deliveries, health and jobs), is refused everywhere else, and stops working
 * once revoked or expired.
 */
describe('portal links', () => {
  let pipeline: Pipeline;
  let api: HeraldApiClient;
  let portal: HeraldApiClient;
  let link: Created;
  let workspaceId: string;
  let otherWorkspaceId: string;
  let otherEndpoint: string;
  const ep: { mine: string; hidden: string } = { mine: '', hidden: '' };
  const deliveries: { mine: string; hidden: string; eventId: string } = { mine: '', hidden: '', eventId: '' };
  const consoleDir = mkdtempSync(join(tmpdir(), 'herald-portal-console-'));

  beforeAll(async () => {
    mkdirSync(consoleDir, { recursive: true });
    writeFileSync(join(consoleDir, 'index.html'), '<!doctype html><title>portal</title>');
    pipeline = await startPipeline({
      label: 'console-portal',
      migrate: true,
      heraldEnv: { HERALD_PORTAL_MAX_TTL_SECONDS: '7200', HERALD_CONSOLE_DIR: consoleDir },
    });
    pipeline.receiver.respondWith((_req, res) => {
      res.writeHead(200).end('ok');
    });
    ({ workspaceId, client: api } = await pipeline.admin.provisionWorkspace(
      `portal-${randomUUID().slice(0, 6)}`,
    ));
    const create = async (client: HeraldApiClient, ws: string, path: string) =>
      (await client.createEndpoint(ws, { url: pipeline.receiver.url(path), eventTypes: ['lead.*'] })).id;
    ep.mine = await create(api, workspaceId, '/mine');
    ep.hidden = await create(api, workspaceId, '/hidden');
    const other = await pipeline.admin.provisionWorkspace(`portal-other-${randomUUID().slice(0, 6)}`);
    otherWorkspaceId = other.workspaceId;
    otherEndpoint = await create(other.client, otherWorkspaceId, '/other');

    deliveries.eventId = randomUUID();
    const event = {
      id: deliveries.eventId,
      type: 'lead.created',
      workspaceId,
      occurredAt: new Date().toISOString(),
      data: { id: 'lead_1', visitor_name: 'Ada', visitor_email: 'ada@example.com' },
    };
    await pipeline.producer.send({
      topic: 'domain.leads',
      messages: [{ key: event.id, value: JSON.stringify(event) }],
    });
    const both = await eventually(async () => {
      const res = await api.call<{ data: { id: string; endpointId: string; status: string }[] }>(
        'GET',
        `/v1/workspaces/${workspaceId}/events/${event.id}/deliveries`,
      );
      return res.data.length === 2 && res.data.every((d) => d.status === 'succeeded') ? res.data : undefined;
    }, 60_000);
    deliveries.mine = both.find((d) => d.endpointId === ep.mine)!.id;
    deliveries.hidden = both.find((d) => d.endpointId === ep.hidden)!.id;
  });

  afterAll(async () => {
    await pipeline?.stop();
    rmSync(consoleDir, { recursive: true, force: true });
  });

  const ws = (rest: string, id = workspaceId) => `/v1/workspaces/${id}${rest}`;

  describe('minting', () => {
    it('mints a link for some endpoints, shown with its token once', async () => {
      const res = await api.request<Created>('POST', ws('/portal-links'), {
        endpointIds: [ep.mine],
        expiresInSeconds: 3600,
        branding: {
          name: 'Acme Support',
          primaryColor: '#0a7cff',
          logoUrl: 'https://acme.example.com/logo.svg',
        },
        allowedOrigins: ['https://app.acme.example.com'],
      });
      expect(res.status).toBe(201);
      link = res.body;
      expect(link.token).toMatch(/^hpl_[A-Za-z0-9_-]{43}$/);
      expect(link.url).toBe(`${pipeline.herald.apiUrl}/console/portal?link=${link.id}#token=${link.token}`);
      expect(link).toMatchObject({
        endpointIds: [ep.mine],
        permissions: ['read', 'replay'],
        branding: { name: 'Acme Support', primaryColor: '#0a7cff' },
      });
      expect(Math.abs(Date.parse(link.expiresAt) - (Date.now() + 3_600_000))).toBeLessThan(60_000);
      portal = api.withToken(link.token);

      const listed = await api.call<{ data: Record<string, unknown>[] }>('GET', ws('/portal-links'));
      expect(listed.data.map((l) => l.id)).toContain(link.id);
      expect(JSON.stringify(listed)).not.toContain(link.token);
    });

    it.each([
      [{ expiresInSeconds: 7201 }, 400, 'expiresInSeconds must be between 60 and 7200'],
      [{ expiresInSeconds: 30 }, 400, 'expiresInSeconds must be between 60 and 7200'],
      [{ permissions: ['keys.manage'] }, 400, 'permissions'],
      [{ branding: { primaryColor: 'blue' } }, 400, 'primaryColor must be #rrggbb'],
      [{ branding: { logoUrl: 'http://acme.example.com/logo.svg' } }, 400, 'logoUrl must be an https URL'],
      [{ allowedOrigins: ["https://a.example.com; script-src 'unsafe-inline'"] }, 400, 'allowedOrigins'],
      [{ endpointIds: [randomUUID()] }, 404, 'not found'],
    ])('refuses %j with %d', async (body, status, message) => {
      const res = await api.request<ErrorBody>('POST', ws('/portal-links'), body);
      expect(res.status).toBe(status);
      expect(res.body.error.message).toContain(message);
    });

    it('refuses an endpoint of another workspace, and keys without keys.manage', async () => {
      expect((await api.request('POST', ws('/portal-links'), { endpointIds: [otherEndpoint] })).status).toBe(
        404,
      );
      const developer = await pipeline.admin.createApiKey(workspaceId, 'developer');
      expect((await api.withToken(developer.key).request('POST', ws('/portal-links'), {})).status).toBe(403);
    });
  });

  describe('what a link sees', () => {
    it('says who it is on GET /v1/me', async () => {
      const me = await portal.call('GET', '/v1/me');
      expect(me).toEqual({
        kind: 'portal',
        workspaceId,
        endpointIds: [ep.mine],
        permissions: ['read', 'replay'],
        branding: {
          name: 'Acme Support',
          primaryColor: '#0a7cff',
          logoUrl: 'https://acme.example.com/logo.svg',
        },
        expiresAt: link.expiresAt,
      });
    });

    it('lists and reads only its endpoints; the others are 404', async () => {
      const list = await portal.call<{ data: { id: string }[] }>('GET', ws('/endpoints'));
      expect(list.data.map((e) => e.id)).toEqual([ep.mine]);
      expect((await portal.request('GET', ws(`/endpoints/${ep.mine}`))).status).toBe(200);
      expect((await portal.request('GET', ws(`/endpoints/${ep.hidden}`))).status).toBe(404);
      expect((await portal.request('GET', ws(`/endpoints/${ep.hidden}/operational-events`))).status).toBe(
        404,
      );
      const health = await portal.call<{ data: { endpointId: string }[] }>('GET', ws('/endpoints/health'));
      expect(health.data.map((h) => h.endpointId)).toEqual([ep.mine]);
      expect((await portal.request('GET', ws(`/endpoints/${ep.mine}/health`))).status).toBe(200);
      expect((await portal.request('GET', ws(`/endpoints/${ep.hidden}/health`))).status).toBe(404);
    });

    it("lists and reads only its endpoints' deliveries", async () => {
      const list = await portal.call<{ data: { id: string }[] }>('GET', ws('/deliveries'));
      expect(list.data.map((d) => d.id)).toEqual([deliveries.mine]);
      const filtered = await portal.call<{ data: unknown[] }>(
        'GET',
        ws(`/deliveries?endpointId=${ep.hidden}`),
      );
      expect(filtered.data).toEqual([]);
      const byEvent = await portal.call<{ data: { id: string }[] }>(
        'GET',
        ws(`/events/${deliveries.eventId}/deliveries`),
      );
      expect(byEvent.data.map((d) => d.id)).toEqual([deliveries.mine]);
      expect((await portal.request('GET', ws(`/deliveries/${deliveries.mine}`))).status).toBe(200);
      expect((await portal.request('GET', ws(`/deliveries/${deliveries.hidden}`))).status).toBe(404);
      expect((await portal.request('POST', ws(`/deliveries/${deliveries.hidden}/retry`))).status).toBe(404);
      expect((await portal.request('POST', ws(`/deliveries/${deliveries.mine}/retry`))).status).toBe(202);
    });

    it("sees only its endpoints' jobs", async () => {
      const since = new Date(Date.now() - 3_600_000).toISOString();
      const hiddenJob = await api.call<{ id: string }>('POST', ws(`/endpoints/${ep.hidden}/recover`), {
        since,
      });
      const mine = await portal.request<{ id: string }>('POST', ws(`/endpoints/${ep.mine}/recover`), {
        since,
      });
      expect(mine.status).toBe(202);
      expect((await portal.request('POST', ws(`/endpoints/${ep.hidden}/recover`), { since })).status).toBe(
        404,
      );
      const jobs = await portal.call<{ data: { id: string }[] }>('GET', ws('/jobs'));
      expect(jobs.data.map((j) => j.id)).toEqual([mine.body.id]);
      expect((await portal.request('GET', ws(`/jobs/${hiddenJob.id}`))).status).toBe(404);
      expect((await portal.request('GET', ws(`/jobs/${mine.body.id}`))).status).toBe(200);
    });

    it('frames the portal page only from its allowed origins', async () => {
      const res = await fetch(`${pipeline.herald.apiUrl}/console/portal?link=${link.id}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-security-policy')).toContain(
        'frame-ancestors https://app.acme.example.com',
      );
      expect(res.headers.get('x-frame-options')).toBeNull();
      const unknown = await fetch(`${pipeline.herald.apiUrl}/console/portal?link=${randomUUID()}`);
      expect(unknown.headers.get('content-security-policy')).toContain('frame-ancestors *');
    });
  });

  describe('what a link is refused', () => {
    it.each([
      [
        'PATCH',
        () => ws(`/endpoints/${ep.mine}`),
        { description: 'x' },
        'lacks the endpoints.write permission',
      ],
      ['GET', () => ws(`/endpoints/${ep.mine}/secret`), undefined, 'lacks the secrets.read permission'],
      ['POST', () => ws('/endpoints'), { url: 'https://example.com/x', eventTypes: ['lead.*'] }, 'lacks'],
      ['GET', () => ws(''), undefined, 'workspace settings'],
      ['GET', () => ws('/api-keys'), undefined, 'never manage API keys'],
      ['POST', () => ws('/api-keys'), { name: 'x', role: 'viewer' }, 'never manage API keys'],
      ['GET', () => ws('/portal-links'), undefined, 'portal links'],
      ['POST', () => ws('/portal-links'), {}, 'portal links'],
      ['GET', () => ws('/egress-allowlist'), undefined, 'egress'],
      ['GET', () => ws('/retention'), undefined, 'retention'],
      ['POST', () => ws('/purges'), { before: new Date().toISOString() }, 'purges'],
      [
        'PUT',
        () => ws('/registrations'),
        { url: 'https://example.com/r', eventTypes: ['lead.*'] },
        'registration',
      ],
      ['POST', () => '/v1/workspaces', { name: 'x' }, 'operator'],
      ['GET', () => ws('/endpoints', otherWorkspaceId), undefined, 'another workspace'],
      ['GET', () => ws(`/endpoints/${otherEndpoint}`, otherWorkspaceId), undefined, 'another workspace'],
    ])('%s %s: 403', async (method, path, body, message) => {
      const res = await portal.request<ErrorBody>(method, path(), body);
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
      expect(res.body.error.message).toContain(message);
    });
  });

  describe('end of a link', () => {
    it('answers 401 PORTAL_LINK_REVOKED once revoked, and leaves the list', async () => {
      expect((await api.request('DELETE', ws(`/portal-links/${link.id}`))).status).toBe(204);
      const res = await portal.request<ErrorBody>('GET', '/v1/me');
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('PORTAL_LINK_REVOKED');
      expect((await portal.request('GET', ws('/endpoints'))).status).toBe(401);
      const listed = await api.call<{ data: { id: string }[] }>('GET', ws('/portal-links'));
      expect(listed.data.map((l) => l.id)).not.toContain(link.id);
      expect((await api.request('DELETE', ws(`/portal-links/${link.id}`))).status).toBe(404);
    });

    it('answers 401 PORTAL_LINK_EXPIRED once past its expiry', async () => {
      const short = await api.call<Created>('POST', ws('/portal-links'), { expiresInSeconds: 60 });
      const client = api.withToken(short.token);
      expect((await client.call<{ endpointIds: null }>('GET', '/v1/me')).endpointIds).toBeNull();
      // No clock to move: the stored expiry is set in the past, as 60 seconds passing would do.
      const db = new Client({ connectionString: pipeline.env.databaseUrl });
      await db.connect();
      try {
        await db.query(`UPDATE portal_links SET expires_at = now() - interval '1 second' WHERE id = $1`, [
          short.id,
        ]);
      } finally {
        await db.end();
      }
      const res = await client.request<ErrorBody>('GET', ws('/endpoints'));
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('PORTAL_LINK_EXPIRED');
      const listed = await api.call<{ data: { id: string }[] }>('GET', ws('/portal-links'));
      expect(listed.data.map((l) => l.id)).not.toContain(short.id);
    });

    it('answers 401 for a token no link has', async () => {
      const res = await api.withToken(`hpl_${'x'.repeat(43)}`).request<ErrorBody>('GET', '/v1/me');
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('UNAUTHENTICATED');
    });
  });
});
