import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { HeraldApiClient, HeraldProcess, freePort } from '@herald/testing';
import { startPipeline, type Pipeline } from '../support/pipeline';
import {
  CREATE_REQUIRED,
  URL_MARK,
  bodyOf,
  edgeString,
  endpointFields,
  expectStored,
  noServerError,
  rawRequest,
  or,
  sent,
  settings,
  textOf,
} from './hostile-bodies';

/**
 * Issue 17 items 7, 9 and 15 against the real API process: hostile bodies get a clear 4xx, never a
 * 5xx and never a silent change (a property test over the body-taking routes), JSON only, and the
 * internal endpoints kept off the public port in production.
 */
describe('API input hardening', () => {
  let pipeline: Pipeline;
  let api: HeraldApiClient;
  let apiKey: string;
  let workspaceId: string;
  let endpointId: string;
  let urls = 0;
  const uniqueUrl = () => pipeline.receiver.url(`/fuzz/${++urls}`);

  beforeAll(async () => {
    pipeline = await startPipeline({
      label: 'input-hardening',
      migrate: true,
      services: ['api'],
      // The property test sends hundreds of requests and creates many endpoints: other limits aside.
      heraldEnv: {
        HERALD_API_KEY_RATE_LIMIT: '10000',
        HERALD_API_KEY_RATE_BURST: '10000',
        HERALD_WORKSPACE_MAX_ENDPOINTS: '100000',
      },
    });
    ({
      workspaceId,
      apiKey,
      client: api,
    } = await pipeline.admin.provisionWorkspace(`ws-${randomUUID().slice(0, 6)}`));
    endpointId = (await api.createEndpoint(workspaceId, { url: uniqueUrl(), eventTypes: ['message.*'] })).id;
  });

  afterAll(async () => {
    await pipeline?.stop();
  });

  const base = (rest = '') => `/v1/workspaces/${workspaceId}${rest}`;

  const raw = (method: string, path: string, text: string, type?: string) =>
    rawRequest(pipeline.herald.apiUrl, apiKey, method, path, text, type);

  async function endpointCount(): Promise<number> {
    let count = 0;
    let cursor: string | null = null;
    do {
      const page: { data: unknown[]; nextCursor: string | null } = await api.call(
        'GET',
        base(`/endpoints?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`),
      );
      count += page.data.length;
      cursor = page.nextCursor;
    } while (cursor);
    return count;
  }

  describe('bodies that break the parser (item 7)', () => {
    const body = (extra: string) =>
      `{"url":${JSON.stringify(uniqueUrl())},"eventTypes":["message.*"],${extra}}`;

    it('answers 400 naming the problem to 20,000 levels of nesting, and creates nothing', async () => {
      const before = await endpointCount();
      const deep = '{"a":'.repeat(20_000) + '1' + '}'.repeat(20_000);
      const res = await raw('POST', base('/endpoints'), body(`"filter":${deep}`));
      expect(res.status).toBe(400);
      expect(res.body.error?.message).toMatch(/deeper than 64 levels/);
      expect(await endpointCount()).toBe(before);
    });

    it.each([
      ['a __proto__ key inside a filter', '"filter":{"__proto__":{"data.type":"sms"}}', 'filter.__proto__'],
      [
        'a constructor key inside a filter',
        '"filter":{"constructor":{"name":"Object"}}',
        'filter.constructor',
      ],
      ['a constructor key in the body', '"constructor":1', 'constructor'],
      ['a prototype key in the headers', '"headers":{"prototype":"x"}', 'headers.prototype'],
    ])(
      'answers 400 naming the key path to %s; the filter is never turned into match-all',
      async (_w, extra, path) => {
        const before = await endpointCount();
        const res = await raw('POST', base('/endpoints'), body(extra));
        expect(res.status).toBe(400);
        expect(res.body.error?.message).toContain(JSON.stringify(path));
        expect(await endpointCount()).toBe(before);
      },
    );

    it('refuses a __proto__ filter on update too, leaving the endpoint as it was', async () => {
      const before = await api.call<{ filter: unknown; version: number }>(
        'GET',
        base(`/endpoints/${endpointId}`),
      );
      const res = await raw('PATCH', base(`/endpoints/${endpointId}`), '{"filter":{"__proto__":{"x":1}}}');
      expect(res.status).toBe(400);
      const after = await api.call<{ filter: unknown; version: number }>(
        'GET',
        base(`/endpoints/${endpointId}`),
      );
      expect(after).toMatchObject({ filter: before.filter, version: before.version });
    });
  });

  describe('JSON only (item 9)', () => {
    it.each([
      [
        'a form body',
        'application/x-www-form-urlencoded',
        'url=https%3A%2F%2Fx.example&eventTypes[0]=message.*',
      ],
      ['plain text', 'text/plain', '{"url":"https://x.example","eventTypes":["message.*"]}'],
      ['no content type', '', '{"url":"https://x.example","eventTypes":["message.*"]}'],
    ])('answers 415 to %s', async (_what, type, text) => {
      const res = await fetch(`${pipeline.herald.apiUrl}${base('/endpoints')}`, {
        method: 'POST',
        body: new TextEncoder().encode(text),
        headers: { authorization: `Bearer ${apiKey}`, ...(type ? { 'content-type': type } : {}) },
      });
      expect(res.status).toBe(415);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/JSON only/);
    });
  });

  describe('property test: no 5xx, no silent change', () => {
    it('creating endpoints', async () => {
      let accepted = 0;
      await fc.assert(
        fc.asyncProperty(textOf(bodyOf(endpointFields, CREATE_REQUIRED)), async (template) => {
          const text = template.split(JSON.stringify(URL_MARK)).join(JSON.stringify(uniqueUrl()));
          const res = await raw('POST', base('/endpoints'), text);
          noServerError(res.status, 'POST endpoints', text, res.body);
          if (res.status >= 300) {
            expect(res.body.error?.message).toEqual(expect.any(String));
            return;
          }
          // 200: the URL was registered already, and the settings sent were applied to it.
          expect([200, 201]).toContain(res.status);
          if (Object.keys(sent(text) as object).length > 0) accepted++;
          const stored = await api.call('GET', base(`/endpoints/${res.body.id as string}`));
          expectStored(sent(text) as Record<string, unknown>, stored);
        }),
        settings(),
      );
      // Not vacuous: some generated bodies were valid, and those were read back.
      expect(accepted).toBeGreaterThan(0);
    }, 60_000);

    it('updating an endpoint', async () => {
      let accepted = 0;
      await fc.assert(
        fc.asyncProperty(textOf(bodyOf(endpointFields)), async (template) => {
          const text = template.split(JSON.stringify(URL_MARK)).join(JSON.stringify(uniqueUrl()));
          const res = await raw('PATCH', base(`/endpoints/${endpointId}`), text);
          noServerError(res.status, 'PATCH endpoint', text, res.body);
          if (res.status >= 300) {
            expect(res.body.error?.message).toEqual(expect.any(String));
            return;
          }
          if (Object.keys(sent(text) as object).length > 0) accepted++;
          const stored = await api.call('GET', base(`/endpoints/${endpointId}`));
          expectStored(sent(text) as Record<string, unknown>, stored);
        }),
        settings(),
      );
      expect(accepted).toBeGreaterThan(0);
    }, 60_000);

    it.each([
      ['POST', '/endpoints/:id/backfill', { since: or(edgeString), timeLimit: or(edgeString) }],
      [
        'POST',
        '/endpoints/:id/recover',
        { since: or(edgeString), until: or(edgeString), timeLimit: or(edgeString) },
      ],
      ['POST', '/endpoints/:id/secret/rotate', { gracePeriod: or(fc.constantFrom('0s', '1h', '8d')) }],
      ['DELETE', '/endpoints', { id: or(fc.uuid()) }],
      [
        'POST',
        '/api-keys',
        { name: or(edgeString), role: or(fc.constantFrom('viewer', 'developer', 'owner')) },
      ],
    ] as const)(
      '%s /v1/workspaces/:ws%s',
      async (method, route, fields) => {
        const path = () => base(route.replace(':id', endpointId));
        await fc.assert(
          fc.asyncProperty(textOf(bodyOf(fields as Record<string, fc.Arbitrary<unknown>>)), async (text) => {
            const res = await raw(method, path(), text);
            noServerError(res.status, `${method} ${path()}`, text, res.body);
            if (res.status >= 300) expect(res.body.error?.message).toEqual(expect.any(String));
          }),
          { ...settings(), numRuns: 60, interruptAfterTimeLimit: 5_000 },
        );
      },
      60_000,
    );

    it('creating workspaces (operator)', async () => {
      await fc.assert(
        fc.asyncProperty(
          textOf(bodyOf({ name: or(edgeString), id: or(fc.stringMatching(/^[a-z][a-z0-9-]{2,20}$/)) })),
          async (text) => {
            const token = pipeline.env.heraldEnv().HERALD_ADMIN_TOKEN;
            const res = await rawRequest(pipeline.herald.apiUrl, token, 'POST', '/v1/workspaces', text);
            const body = res.body;
            noServerError(res.status, 'POST workspaces', text, body);
            if (res.status < 300) {
              const stored = await pipeline.admin.call('GET', `/v1/workspaces/${body.id as string}`);
              expect(stored.name).toBe((sent(text) as { name: string }).name);
            }
          },
        ),
        { ...settings(), numRuns: 60, interruptAfterTimeLimit: 5_000 },
      );
    }, 60_000);
  });

  describe('internal endpoints off the public port (item 15)', () => {
    let internalPort: number;
    let separate: HeraldProcess;
    let guarded: HeraldProcess;
    const admin = () => pipeline.env.heraldEnv().HERALD_ADMIN_TOKEN;
    const get = async (url: string, token?: string) => {
      const res = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
      return { status: res.status, text: await res.text() };
    };

    beforeAll(async () => {
      internalPort = await freePort();
      [separate, guarded] = await Promise.all([
        HeraldProcess.start({
          env: pipeline.env.heraldEnv({
            HERALD_MODE: 'production',
            HERALD_INTERNAL_PORT: String(internalPort),
          }),
          services: ['api'],
        }),
        HeraldProcess.start({
          env: pipeline.env.heraldEnv({ HERALD_MODE: 'production' }),
          services: ['api'],
        }),
      ]);
    });

    afterAll(async () => {
      await separate?.stop();
      await guarded?.stop();
    });

    it('with HERALD_INTERNAL_PORT, /metrics and /docs are served there only, and the API is not', async () => {
      for (const path of ['/metrics', '/docs', '/docs-json']) {
        expect({ path, status: (await get(`${separate.apiUrl}${path}`, admin())).status }).toEqual({
          path,
          status: 404,
        });
      }
      const internal = `http://127.0.0.1:${internalPort}`;
      expect((await get(`${internal}/metrics`)).text).toContain('# HELP');
      expect(JSON.parse((await get(`${internal}/docs-json`)).text)).toMatchObject({
        openapi: expect.stringMatching(/^3\./),
      });
      expect((await get(`${internal}/health/ready`)).status).toBe(200);
      expect((await get(`${internal}/v1/event-types`, admin())).status).toBe(404);
      expect((await get(`${separate.apiUrl}/v1/event-types`, admin())).status).toBe(200);
      expect((await get(`${separate.apiUrl}/health/ready`)).status).toBe(200);
    });

    it('in production without one, /metrics and /docs need the admin token', async () => {
      for (const path of ['/metrics', '/docs', '/docs-json']) {
        const anonymous = await get(`${guarded.apiUrl}${path}`);
        expect({ path, status: anonymous.status }).toEqual({ path, status: 401 });
        const key = await get(`${guarded.apiUrl}${path}`, apiKey);
        expect({ path, status: key.status }).toEqual({ path, status: 401 });
        expect({ path, status: (await get(`${guarded.apiUrl}${path}`, admin())).status }).toEqual({
          path,
          status: 200,
        });
      }
      expect((await get(`${guarded.apiUrl}/health/ready`)).status).toBe(200);
    });
  });
});
