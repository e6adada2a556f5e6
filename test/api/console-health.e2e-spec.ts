import { randomUUID } from 'node:crypto';
import { eventually, type HeraldApiClient } from '@herald/testing';
import { startPipeline, type Pipeline } from '../support/pipeline';

interface Health {
  endpointId: string;
  window: string;
  from: string;
  to: string;
  attempts: number;
  succeeded: number;
  failed: number;
  successRate: number | null;
  latencyMs: { p50: number; p95: number } | null;
  lastSuccessAt: string | null;
  lastFailureAt: string | null;
  circuit: { state: string; since: string | null };
  disabled: boolean;
  disabledReason: string | null;
}

/**
 * Endpoint health from real deliveries: one endpoint answers 200, one 503 (two attempts per delivery,
 * then exhausted), one gets nothing; the figures are read back per endpoint and for the workspace.
 */
describe('endpoint health', () => {
  let pipeline: Pipeline;
  let api: HeraldApiClient;
  let workspaceId: string;
  const ids: { ok: string; failing: string; idle: string } = { ok: '', failing: '', idle: '' };
  const started = Date.now();

  beforeAll(async () => {
    pipeline = await startPipeline({ label: 'console-health', migrate: true });
    pipeline.receiver.respondWith((req, res) => {
      if (req.path.startsWith('/ok')) res.writeHead(200).end('ok');
      else res.writeHead(503).end('down');
    });
    ({ workspaceId, client: api } = await pipeline.admin.provisionWorkspace(
      `health-${randomUUID().slice(0, 6)}`,
    ));
    const create = async (path: string, eventTypes: string[]) =>
      (
        await api.createEndpoint(workspaceId, {
          url: pipeline.receiver.url(path),
          eventTypes,
          retrySchedule: ['200ms'],
        })
      ).id;
    ids.ok = await create('/ok', ['lead.*']);
    ids.failing = await create('/fail', ['lead.*']);
    ids.idle = await create('/idle', ['contact.*']);
    const events = [0, 1, 2].map(() => {
      const id = randomUUID();
      return {
        id,
        type: 'lead.created',
        workspaceId,
        occurredAt: new Date().toISOString(),
        data: { id: `lead_${id.slice(0, 6)}`, visitor_name: 'Ada', visitor_email: 'ada@example.com' },
      };
    });
    await pipeline.producer.send({
      topic: 'domain.leads',
      messages: events.map((e) => ({ key: e.id, value: JSON.stringify(e) })),
    });
  });

  afterAll(async () => {
    await pipeline?.stop();
  });

  const path = (rest: string) => `/v1/workspaces/${workspaceId}${rest}`;
  const healthOf = (endpointId: string, window = '24h') =>
    api.call<Health>('GET', path(`/endpoints/${endpointId}/health?window=${window}`));

  it('counts successes and failures of real deliveries, with latency and the last of each', async () => {
    // Three deliveries each: three successes; three failures tried twice, so six failed attempts.
    const ok = await eventually(async () => {
      const health = await healthOf(ids.ok);
      return health.attempts === 3 ? health : undefined;
    }, 60_000);
    const failing = await eventually(async () => {
      const health = await healthOf(ids.failing);
      return health.attempts === 6 ? health : undefined;
    }, 60_000);

    expect(ok).toMatchObject({ endpointId: ids.ok, window: '24h', succeeded: 3, failed: 0, successRate: 1 });
    expect(ok.latencyMs?.p50).toBeGreaterThanOrEqual(0);
    expect(ok.latencyMs!.p95).toBeGreaterThanOrEqual(ok.latencyMs!.p50);
    expect(Date.parse(ok.lastSuccessAt!)).toBeGreaterThanOrEqual(started - 1_000);
    expect(ok.lastFailureAt).toBeNull();
    expect(ok.circuit).toEqual({ state: 'closed', since: null });
    expect(ok).toMatchObject({ disabled: false, disabledReason: null });
    expect(Date.parse(ok.to) - Date.parse(ok.from)).toBe(86_400_000);

    expect(failing).toMatchObject({ succeeded: 0, failed: 6, successRate: 0, lastSuccessAt: null });
    expect(failing.latencyMs).not.toBeNull();
    expect(Date.parse(failing.lastFailureAt!)).toBeGreaterThanOrEqual(started - 1_000);
  });

  it('reports an endpoint without attempts with nulls, and every window', async () => {
    for (const window of ['1h', '24h', '7d', '30d']) {
      const idle = await healthOf(ids.idle, window);
      expect(idle).toMatchObject({
        window,
        attempts: 0,
        successRate: null,
        latencyMs: null,
        lastSuccessAt: null,
        lastFailureAt: null,
      });
    }
    expect((await healthOf(ids.ok, '1h')).attempts).toBe(3);
    expect((await healthOf(ids.ok, '30d')).attempts).toBe(3);
  });

  it('answers every endpoint of the workspace in one call, with the same figures', async () => {
    const all = await api.call<{ data: Health[] }>('GET', path('/endpoints/health?window=7d'));
    expect(all.data.map((h) => h.endpointId).sort()).toEqual([ids.ok, ids.failing, ids.idle].sort());
    const byId = new Map(all.data.map((h) => [h.endpointId, h]));
    expect(byId.get(ids.ok)).toMatchObject({ window: '7d', attempts: 3, succeeded: 3 });
    expect(byId.get(ids.failing)).toMatchObject({ attempts: 6, failed: 6 });
    expect(byId.get(ids.idle)).toMatchObject({ attempts: 0 });
    // Defaults to 24h.
    const defaulted = await api.call<{ data: Health[] }>('GET', path('/endpoints/health'));
    expect(defaulted.data.every((h) => h.window === '24h')).toBe(true);
  });

  it('refuses an unknown window, an unknown endpoint and another workspace', async () => {
    const bad = await api.request<{ error: { code: string; message: string } }>(
      'GET',
      path(`/endpoints/${ids.ok}/health?window=2h`),
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/1h, 24h, 7d, 30d/);
    expect((await api.request('GET', path(`/endpoints/${randomUUID()}/health`))).status).toBe(404);
    const other = await pipeline.admin.provisionWorkspace(`health-other-${randomUUID().slice(0, 6)}`);
    expect((await other.client.request('GET', path(`/endpoints/${ids.ok}/health`))).status).toBe(403);
    const viewer = await pipeline.admin.createApiKey(workspaceId, 'viewer');
    expect((await api.withToken(viewer.key).request('GET', path('/endpoints/health'))).status).toBe(200);
  });
});
