import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import type { HeraldApiClient, HeraldProcess, WebhookReceiver } from '@herald/testing';
import type { ErrorBody } from '../support/api-bodies';
import { validateOpenApi } from '../support/openapi';
import { startPipeline, type Pipeline } from '../support/pipeline';
import { DOCUMENTED_ROUTES } from './documented-routes';

/** The API's contract: its OpenAPI document, validation and limits, idempotency, secrets and the test ping. */
describe('API contract', () => {
  let pipeline: Pipeline;
  let herald: HeraldProcess;
  let receiver: WebhookReceiver;
  let api: HeraldApiClient;
  let apiKey: string;
  let workspaceId: string;

  beforeAll(async () => {
    pipeline = await startPipeline({
      label: 'contract-e2e',
      migrate: true,
      heraldEnv: { HERALD_API_MAX_BODY_BYTES: '4096', HERALD_API_MAX_PAGE_SIZE: '50' },
      services: ['api', 'projector'],
    });
    ({ herald, receiver } = pipeline);
    ({
      workspaceId,
      apiKey,
      client: api,
    } = await pipeline.admin.provisionWorkspace(`contract-${randomUUID().slice(0, 6)}`));
  });

  afterAll(async () => {
    await pipeline?.stop();
  });

  const path = (rest = '') => `/v1/workspaces/${workspaceId}${rest}`;

  it('serves a valid OpenAPI 3 document describing every route', async () => {
    const res = await fetch(`${herald.apiUrl}/docs-json`);
    expect(res.status).toBe(200);
    const document = (await res.json()) as {
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
    };
    expect(document.openapi).toMatch(/^3\./);
    await validateOpenApi(document);
    // The validator does reject a broken document.
    await expect(
      validateOpenApi({ ...document, paths: { '/x': { get: { responses: 'none' } } } }),
    ).rejects.toThrow();
    const routes = Object.entries(document.paths).flatMap(([p, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`),
    );
    for (const route of DOCUMENTED_ROUTES) {
      expect(routes).toContain(route);
    }
    const ui = await fetch(`${herald.apiUrl}/docs`);
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain('swagger');
  });

  it('lists the event catalogue with schemas', async () => {
    const res = await api.call<{ data: { type: string; schema: Record<string, unknown> }[] }>(
      'GET',
      '/v1/event-types',
    );
    const received = res.data.find((t) => t.type === 'message.received');
    expect(received?.schema).toHaveProperty('type', 'object');
  });

  it('validates endpoint fields with field-level messages', async () => {
    const cases: [Record<string, unknown>, number, string][] = [
      [{ eventTypes: ['message.*'] }, 400, 'url'],
      [{ url: receiver.url('/v'), eventTypes: [] }, 400, 'eventTypes'],
      [{ url: receiver.url('/v'), eventTypes: ['message.*'], bogus: 1 }, 400, 'bogus'],
      [{ url: receiver.url('/v'), eventTypes: ['message.*'], timeoutMs: 'soon' }, 400, 'timeoutMs'],
      [{ url: receiver.url('/v'), eventTypes: ['message.*'], payloadProfile: 'xml' }, 400, 'payloadProfile'],
      [{ url: 'http://169.254.169.254/latest/meta-data', eventTypes: ['message.*'] }, 422, 'url'],
      [{ url: 'ftp://example.com/hook', eventTypes: ['message.*'] }, 422, 'url'],
      [{ url: receiver.url('/v'), eventTypes: ['Message..X'] }, 422, 'eventTypes[0]'],
      [{ url: receiver.url('/v'), eventTypes: ['message.*'], filter: { $where: 'sleep(1)' } }, 422, 'filter'],
      [{ url: receiver.url('/v'), eventTypes: ['message.*'], retrySchedule: ['7m'] }, 422, 'retrySchedule'],
      [
        { url: receiver.url('/v'), eventTypes: ['message.*'], headers: { 'Content-Type': 'text/plain' } },
        422,
        'headers.Content-Type',
      ],
      [
        { url: receiver.url('/v'), eventTypes: ['message.*'], headers: { 'X-Bad': 'a\r\nb' } },
        422,
        'headers.X-Bad',
      ],
    ];
    for (const [body, status, field] of cases) {
      const res = await api.request<ErrorBody>('POST', path('/endpoints'), body);
      expect({ body, status: res.status }).toEqual({ body, status });
      expect(res.body.error.fields?.map((f) => f.field)).toContain(field);
    }
    const list = await api.call<{ data: unknown[] }>('GET', path('/endpoints'));
    expect(list.data).toEqual([]);
  });

  it('reads the workspace, refuses a URL another endpoint holds (409), and 404s unknown jobs', async () => {
    const workspace = await api.call<{ id: string; name: string }>('GET', path());
    expect(workspace.id).toBe(workspaceId);
    const a = await api.createEndpoint(workspaceId, { url: receiver.url('/taken'), eventTypes: ['lead.*'] });
    const b = await api.createEndpoint(workspaceId, { url: receiver.url('/free'), eventTypes: ['lead.*'] });
    const clash = await api.request<ErrorBody>('PATCH', path(`/endpoints/${b.id}`), {
      url: receiver.url('/taken'),
    });
    expect(clash.status).toBe(409);
    expect(clash.body.error.fields?.[0].field).toBe('url');
    const unchanged = await api.call<{ url: string; version: number }>('GET', path(`/endpoints/${b.id}`));
    expect(unchanged).toMatchObject({ url: receiver.url('/free'), version: 1 });
    expect((await api.request('GET', path(`/jobs/${randomUUID()}`))).status).toBe(404);
    await api.call('DELETE', path(`/endpoints/${a.id}`));
    await api.call('DELETE', path(`/endpoints/${b.id}`));
  });

  it('bounds body size, URL length, header count and page size with clear 4xx answers', async () => {
    const big = await api.request<ErrorBody>('POST', path('/endpoints'), {
      url: receiver.url('/big'),
      eventTypes: ['message.*'],
      description: 'x'.repeat(8_000),
    });
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('LIMIT_EXCEEDED');

    const longUrl = await api.request<ErrorBody>('GET', path(`/deliveries?eventType=${'a'.repeat(5_000)}`));
    expect(longUrl.status).toBe(414);

    const headers: Record<string, string> = {};
    for (let i = 0; i < 120; i += 1) headers[`x-flood-${i}`] = '1';
    const flood = await api.request<ErrorBody>('GET', path('/endpoints'), undefined, headers);
    expect(flood.status).toBe(431);

    const page = await api.request<ErrorBody>('GET', path('/deliveries?limit=51'));
    expect(page.status).toBe(422);
    expect(page.body.error.fields?.[0].field).toBe('limit');

    const badJson = await fetch(`${herald.apiUrl}${path('/endpoints')}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${apiKey}`,
        'content-type': 'application/json',
      },
      body: '{"url":',
    });
    expect(badJson.status).toBe(400);

    const badTime = await api.request<ErrorBody>('GET', path('/deliveries?since=yesterday'));
    expect(badTime.status).toBe(400);
    const badCursor = await api.request<ErrorBody>('GET', path('/deliveries?cursor=nonsense'));
    expect(badCursor.status).toBe(400);
    const badEndpointCursor = await api.request<ErrorBody>('GET', path('/endpoints?cursor=nonsense'));
    expect(badEndpointCursor.status).toBe(400);
  });

  it('replays a mutating POST sent again with the same Idempotency-Key, and refuses a different body', async () => {
    const key = randomUUID();
    const body = { url: receiver.url('/idem'), eventTypes: ['lead.*'] };
    const first = await api.request<{ id: string; secret: string }>('POST', path('/endpoints'), body, {
      'idempotency-key': key,
    });
    expect(first.status).toBe(201);
    const again = await api.request<{ id: string; secret: string }>('POST', path('/endpoints'), body, {
      'idempotency-key': key,
    });
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);

    const other = await api.request<ErrorBody>(
      'POST',
      path('/endpoints'),
      { ...body, url: receiver.url('/idem-other') },
      { 'idempotency-key': key },
    );
    expect(other.status).toBe(422);

    const keyReq = await api.request<{ id: string }>(
      'POST',
      path('/api-keys'),
      { name: 'idem', role: 'viewer' },
      { 'idempotency-key': key + '-k' },
    );
    const keyAgain = await api.request<{ id: string }>(
      'POST',
      path('/api-keys'),
      { name: 'idem', role: 'viewer' },
      { 'idempotency-key': key + '-k' },
    );
    expect(keyAgain.body.id).toBe(keyReq.body.id);
    const keys = await api.call<{ data: { name: string }[] }>('GET', path('/api-keys'));
    expect(keys.data.filter((k) => k.name === 'idem')).toHaveLength(1);
  });

  it('reveals the secret to roles allowed to, and rotates it with both keys signing during the grace period', async () => {
    const endpoint = await api.createEndpoint(workspaceId, {
      url: receiver.url('/rotate'),
      eventTypes: ['message.*'],
    });
    const revealed = await api.call<{ secret: string }>('GET', path(`/endpoints/${endpoint.id}/secret`));
    expect(revealed.secret).toBe(endpoint.secret);

    for (const gracePeriod of ['8d', '-1s', 'soon']) {
      const bad = await api.request<ErrorBody>('POST', path(`/endpoints/${endpoint.id}/secret/rotate`), {
        gracePeriod,
      });
      expect(bad.status).toBe(400);
      expect(bad.body.error.fields?.[0].field).toBe('gracePeriod');
    }

    const rotated = await api.call<{ secret: string; previousExpiresAt: string }>(
      'POST',
      path(`/endpoints/${endpoint.id}/secret/rotate`),
      {},
    );
    expect(rotated.secret).not.toBe(endpoint.secret);
    const expiresIn = Date.parse(rotated.previousExpiresAt) - Date.now();
    expect(expiresIn).toBeGreaterThan(23.9 * 3_600_000);
    expect(expiresIn).toBeLessThanOrEqual(24 * 3_600_000);
    expect((await api.call<{ secret: string }>('GET', path(`/endpoints/${endpoint.id}/secret`))).secret).toBe(
      rotated.secret,
    );
    const view = await api.call<{ secrets: { expiresAt: string | null }[]; version: number }>(
      'GET',
      path(`/endpoints/${endpoint.id}`),
    );
    expect(view.version).toBe(2);
    expect(view.secrets.map((s) => s.expiresAt === null).sort()).toEqual([false, true]);

    // The test ping signs with both: each secret verifies on its own.
    const result = await api.call<{
      delivered: boolean;
      status: number;
      latencyMs: number;
      responseBody: string;
    }>('POST', path(`/endpoints/${endpoint.id}/test`));
    expect(result).toMatchObject({ delivered: true, status: 200, responseBody: 'ok' });
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);
    const [ping] = receiver.matching((r) => r.path === '/rotate');
    const headers = {
      'webhook-id': String(ping.headers['webhook-id']),
      'webhook-timestamp': String(ping.headers['webhook-timestamp']),
      'webhook-signature': String(ping.headers['webhook-signature']),
    };
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    for (const secret of [endpoint.secret, rotated.secret]) {
      const only = headers['webhook-signature'].split(' ').filter((sig) => {
        try {
          new Webhook(secret).verify(ping.body.toString('utf8'), { ...headers, 'webhook-signature': sig });
          return true;
        } catch {
          return false;
        }
      });
      expect(only).toHaveLength(1);
    }

    // A zero grace period drops the old secret at once.
    await api.call('POST', path(`/endpoints/${endpoint.id}/secret/rotate`), { gracePeriod: '0s' });
    const after = await api.call<{ secrets: unknown[] }>('GET', path(`/endpoints/${endpoint.id}`));
    expect(after.secrets).toHaveLength(2);
  });

  it('offers the test ping at creation and reports a failing receiver', async () => {
    receiver.respondWith((req, res) => {
      if (req.path === '/down') res.writeHead(503).end('maintenance');
      else res.writeHead(200).end('ok');
    });
    const created = await api.request<{ test: { delivered: boolean; status: number; responseBody: string } }>(
      'POST',
      path('/endpoints?test=true'),
      {
        url: receiver.url('/down'),
        eventTypes: ['message.*'],
        payloadProfile: 'nexadesk',
        signatureScheme: 'hmac-sha256-prefixed',
        signatureHeader: 'X-NexaDesk-Signature',
      },
    );
    expect(created.status).toBe(201);
    expect(created.body.test).toMatchObject({ delivered: false, status: 503, responseBody: 'maintenance' });
    const [ping] = receiver.matching((r) => r.path === '/down');
    expect(String(ping.headers['x-nexadesk-signature'])).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(JSON.parse(ping.body.toString('utf8'))).toMatchObject({
      event: 'herald.test',
      workspace_id: workspaceId,
    });
  });
});
