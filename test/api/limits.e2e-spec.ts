import { randomUUID } from 'node:crypto';
import { HeraldApiClient, eventually } from '@herald/testing';
import { startPipeline, type Pipeline } from '../support/pipeline';

interface ErrorBody {
  error: { code: string; message: string };
}
interface JobBody {
  id: string;
  state: string;
}

const TOPIC = 'limits.events';
const EVENTS = 20_000;
const MAX_ENDPOINTS = 3;
const MAX_JOBS = 2;
const RATE = 10;
const BURST = 40;

/**
 * Issue 17 items 3 and 5 over HTTP, on a real broker and Postgres with small limits: endpoints per
 * workspace (422), concurrent backfill/recover jobs per workspace (429 + Retry-After), requests per API
 * key (429 + Retry-After; health, metrics and docs unlimited), and owners outranking admins (403).
 * Each test provisions its own workspace, so each key starts with a full request budget.
 */
describe('limits on shared work, and roles', () => {
  let pipeline: Pipeline;
  let admin: HeraldApiClient;

  beforeAll(async () => {
    pipeline = await startPipeline({
      label: 'limits-test',
      migrate: true,
      services: ['api'],
      heraldEnv: {
        HERALD_DOMAIN_TOPICS: TOPIC,
        HERALD_WORKSPACE_MAX_ENDPOINTS: String(MAX_ENDPOINTS),
        HERALD_WORKSPACE_MAX_ACTIVE_JOBS: String(MAX_JOBS),
        HERALD_API_KEY_RATE_LIMIT: String(RATE),
        HERALD_API_KEY_RATE_BURST: String(BURST),
      },
    });
    admin = pipeline.admin;
  });

  afterAll(async () => {
    await pipeline?.stop();
  });

  const provision = () => admin.provisionWorkspace(`limits-${randomUUID().slice(0, 6)}`);
  /** A raw call that keeps the response headers (the shared client returns status and body only). */
  const send = async (token: string, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${pipeline.herald.apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return {
      status: res.status,
      retryAfter: res.headers.get('retry-after'),
      body: (text ? JSON.parse(text) : undefined) as unknown,
    };
  };
  const codeOf = (body: unknown) => (body as ErrorBody).error.code;
  const messageEvent = (workspaceId: string) => ({
    id: randomUUID(),
    type: 'message.received',
    workspaceId,
    occurredAt: new Date().toISOString(),
    data: {
      id: `msg_${randomUUID().slice(0, 6)}`,
      conversationId: 'cnv_1',
      communicationType: 'sms',
      from: '+17025551111',
      to: ['+17025550100'],
      text: 'backfill me',
      outbound: false,
      createdAt: new Date().toISOString(),
    },
  });

  describe('endpoints per workspace', () => {
    it('lets concurrent creations take only the places left: the rest answer 422 ENDPOINT_LIMIT_REACHED', async () => {
      const { workspaceId, apiKey } = await provision();
      const create = (n: number) =>
        send(apiKey, 'POST', `/v1/workspaces/${workspaceId}/endpoints`, {
          url: pipeline.receiver.url(`/limits/${workspaceId}/${n}`),
          eventTypes: ['message.*'],
        });
      const answers = await Promise.all(Array.from({ length: 2 * MAX_ENDPOINTS }, (_, n) => create(n)));
      const statuses = answers.map((a) => a.status).sort();
      expect(statuses).toEqual([...Array(MAX_ENDPOINTS).fill(201), ...Array(MAX_ENDPOINTS).fill(422)]);
      for (const refused of answers.filter((a) => a.status === 422)) {
        expect(refused.body).toEqual({
          error: {
            code: 'ENDPOINT_LIMIT_REACHED',
            message: `this workspace has ${MAX_ENDPOINTS} endpoints and its limit is ${MAX_ENDPOINTS}; delete one before creating another`,
          },
        });
      }
      const listed = await send(apiKey, 'GET', `/v1/workspaces/${workspaceId}/endpoints`);
      const endpoints = (listed.body as { data: { id: string; url: string }[] }).data;
      expect(endpoints).toHaveLength(MAX_ENDPOINTS);

      // Re-registering a URL it has is no new endpoint; after a delete there is room for one.
      const again = await send(apiKey, 'POST', `/v1/workspaces/${workspaceId}/endpoints`, {
        url: endpoints[0].url,
        eventTypes: ['message.*'],
      });
      expect(again.status).toBe(200);
      const removed = await send(
        apiKey,
        'DELETE',
        `/v1/workspaces/${workspaceId}/endpoints/${endpoints[0].id}`,
      );
      expect(removed.status).toBe(204);
      expect((await create(100)).status).toBe(201);
      expect((await create(101)).status).toBe(422);
    });

    it('counts each workspace apart', async () => {
      const { workspaceId, client } = await provision();
      const created = await client.request('POST', `/v1/workspaces/${workspaceId}/endpoints`, {
        url: pipeline.receiver.url(`/limits/${workspaceId}/own`),
        eventTypes: ['message.*'],
      });
      expect(created.status).toBe(201);
    });
  });

  describe('concurrent jobs per workspace', () => {
    const since = new Date(Date.now() - 60_000).toISOString();

    let workspaceId: string;
    let apiKey: string;

    beforeAll(async () => {
      ({ workspaceId, apiKey } = await provision());
      // Enough of the workspace's events retained that each backfill sends for seconds before it ends.
      for (let sent = 0; sent < EVENTS; sent += 1_000) {
        await pipeline.producer.send({
          topic: TOPIC,
          messages: Array.from({ length: 1_000 }, () => {
            const event = messageEvent(workspaceId);
            return { key: event.id, value: JSON.stringify(event) };
          }),
        });
      }
    }, 120_000);

    it('refuses a job past the limit with 429 JOB_LIMIT_REACHED and Retry-After; ended jobs free their place', async () => {
      const base = `/v1/workspaces/${workspaceId}`;
      const endpoint = await send(apiKey, 'POST', `${base}/endpoints`, {
        url: pipeline.receiver.url(`/limits/${workspaceId}/jobs`),
        eventTypes: ['message.*'],
      });
      const endpointId = (endpoint.body as { id: string }).id;
      const backfill = () => send(apiKey, 'POST', `${base}/endpoints/${endpointId}/backfill`, { since });
      const recover = () => send(apiKey, 'POST', `${base}/endpoints/${endpointId}/recover`, { since });

      const answers = await Promise.all(Array.from({ length: MAX_JOBS + 1 }, () => backfill()));
      const started = answers.filter((a) => a.status === 202);
      const refused = answers.filter((a) => a.status === 429);
      expect({ started: started.length, refused: refused.length }).toEqual({ started: MAX_JOBS, refused: 1 });
      expect(codeOf(refused[0].body)).toBe('JOB_LIMIT_REACHED');
      expect((refused[0].body as ErrorBody).error.message).toMatch(
        new RegExp(`already runs ${MAX_JOBS} backfill or recover job\\(s\\), its limit; retry after \\d+s`),
      );
      const retryAfter = Number(refused[0].retryAfter);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      // The two that started were still running when the third was refused, and still are.
      const ids = started.map((a) => (a.body as JobBody).id);
      for (const id of ids) {
        expect(((await send(apiKey, 'GET', `${base}/jobs/${id}`)).body as JobBody).state).toBe('running');
      }
      // Recover jobs share the same places.
      const refusedRecover = await recover();
      expect(refusedRecover.status).toBe(429);
      expect(codeOf(refusedRecover.body)).toBe('JOB_LIMIT_REACHED');
      expect(refusedRecover.retryAfter).toMatch(/^\d+$/);

      // Another workspace is not held back by this one's jobs.
      const other = await provision();
      const otherEndpoint = await other.client.createEndpoint(other.workspaceId, {
        url: pipeline.receiver.url(`/limits/${other.workspaceId}/jobs`),
        eventTypes: ['message.*'],
      });
      const otherJob = await send(
        other.apiKey,
        'POST',
        `/v1/workspaces/${other.workspaceId}/endpoints/${otherEndpoint.id}/recover`,
        { since },
      );
      expect(otherJob.status).toBe(202);

      // A cancelled job holds no place.
      const cancelled = await send(apiKey, 'POST', `${base}/jobs/${ids[0]}/cancel`);
      expect((cancelled.body as JobBody).state).toBe('cancelled');
      const next = await backfill();
      expect(next.status).toBe(202);
      for (const id of [ids[1], (next.body as JobBody).id])
        await send(apiKey, 'POST', `${base}/jobs/${id}/cancel`);
    });
  });

  describe('requests per API key', () => {
    it('answers 429 RATE_LIMITED with Retry-After past the burst, per key, and serves the key again later', async () => {
      const { workspaceId, apiKey } = await provision();
      const path = `/v1/workspaces/${workspaceId}`;
      const other = await admin.createApiKey(workspaceId, 'viewer', 'second');

      const answers = await Promise.all(Array.from({ length: BURST + 20 }, () => send(apiKey, 'GET', path)));
      const served = answers.filter((a) => a.status === 200);
      const limited = answers.filter((a) => a.status === 429);
      expect({ served: served.length, limited: limited.length }).toEqual({ served: BURST, limited: 20 });
      for (const answer of limited) {
        expect(answer.body).toEqual({
          error: {
            code: 'RATE_LIMITED',
            message: expect.stringMatching(
              new RegExp(`^this API key sent more than ${BURST} requests in 4s; retry after \\d+s$`),
            ) as string,
          },
        });
        expect(Number(answer.retryAfter)).toBeGreaterThanOrEqual(1);
        expect(Number(answer.retryAfter)).toBeLessThanOrEqual(BURST / RATE);
      }

      // The budget is the key's, not the caller's address: another key from here is served.
      expect((await send(other.key, 'GET', path)).status).toBe(200);
      // The operator token, health, metrics and docs are not limited.
      expect((await send(pipeline.env.heraldEnv().HERALD_ADMIN_TOKEN, 'GET', path)).status).toBe(200);
      for (const route of ['/health/live', '/metrics', '/docs-json']) {
        const res = await Promise.all(
          Array.from({ length: BURST + 5 }, () => fetch(`${pipeline.herald.apiUrl}${route}`)),
        );
        expect(res.filter((r) => r.status === 429)).toHaveLength(0);
      }
      // Once its oldest requests leave the window the key is served again.
      await eventually(
        async () => ((await send(apiKey, 'GET', path)).status === 200 ? true : undefined),
        10_000,
      );
    });
  });

  describe('roles', () => {
    it('an admin can neither create owner keys nor revoke an owner key; an owner can do both', async () => {
      const { workspaceId, apiKey: adminKey } = await provision();
      const keys = `/v1/workspaces/${workspaceId}/api-keys`;
      const owner = await admin.createApiKey(workspaceId, 'owner', 'owner');

      const mint = await send(adminKey, 'POST', keys, { name: 'escalate', role: 'owner' });
      expect(mint.status).toBe(403);
      expect(mint.body).toEqual({
        error: {
          code: 'ROLE_OUTRANKED',
          message: 'the admin role cannot create owner keys; owner outranks admin',
        },
      });
      const revoke = await send(adminKey, 'DELETE', `${keys}/${owner.id}`);
      expect(revoke.status).toBe(403);
      expect(revoke.body).toEqual({
        error: {
          code: 'ROLE_OUTRANKED',
          message: "the admin role cannot revoke an owner's key; owner outranks admin",
        },
      });
      // The owner key still works, and no owner key was added.
      expect((await send(owner.key, 'GET', `/v1/workspaces/${workspaceId}`)).status).toBe(200);
      const listed = (await send(owner.key, 'GET', keys)).body as { data: { role: string }[] };
      expect(listed.data.filter((k) => k.role === 'owner')).toHaveLength(1);

      // An admin still manages admin and lower keys.
      const peer = await send(adminKey, 'POST', keys, { name: 'peer', role: 'admin' });
      expect(peer.status).toBe(201);
      const developer = await send(adminKey, 'POST', keys, { name: 'dev', role: 'developer' });
      expect(developer.status).toBe(201);
      expect(
        (await send(adminKey, 'DELETE', `${keys}/${(developer.body as { id: string }).id}`)).status,
      ).toBe(204);

      // The owner creates owner keys and revokes owner and admin keys.
      const second = await send(owner.key, 'POST', keys, { name: 'second owner', role: 'owner' });
      expect(second.status).toBe(201);
      expect((await send(owner.key, 'DELETE', `${keys}/${(second.body as { id: string }).id}`)).status).toBe(
        204,
      );
      expect((await send(owner.key, 'DELETE', `${keys}/${(peer.body as { id: string }).id}`)).status).toBe(
        204,
      );
    });
  });
});
