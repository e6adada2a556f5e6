import { randomUUID } from 'node:crypto';
import { startPipeline, type Pipeline } from '../support/pipeline';

const TEMPLATE = 'https://jaeger.example.com/trace/{traceId}';

/** GET /v1/me tells the console who the bearer token is and what it may do. */
describe('GET /v1/me', () => {
  let pipeline: Pipeline;

  beforeAll(async () => {
    pipeline = await startPipeline({
      label: 'console-me',
      migrate: true,
      services: ['api'],
      heraldEnv: { HERALD_TRACE_URL_TEMPLATE: TEMPLATE },
    });
  });

  afterAll(async () => {
    await pipeline?.stop();
  });

  it('names the operator, with every permission and the trace link template', async () => {
    const res = await pipeline.admin.request('GET', '/v1/me');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      kind: 'operator',
      permissions: [
        'read',
        'endpoints.write',
        'secrets.read',
        'replay',
        'keys.manage',
        'egress.manage',
        'data.purge',
      ],
      console: { traceUrlTemplate: TEMPLATE },
    });
  });

  it("names an API key's workspace, role and permissions", async () => {
    const { id: workspaceId } = await pipeline.admin.createWorkspace(`me-${randomUUID().slice(0, 6)}`);
    const viewer = await pipeline.admin.createApiKey(workspaceId, 'viewer');
    const res = await pipeline.admin.withToken(viewer.key).request('GET', '/v1/me');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      kind: 'api-key',
      workspaceId,
      role: 'viewer',
      permissions: ['read'],
      console: { traceUrlTemplate: TEMPLATE },
    });
  });

  it('answers 401 without a known token', async () => {
    expect((await pipeline.admin.withToken('hk_not-a-key').request('GET', '/v1/me')).status).toBe(401);
    expect((await fetch(`${pipeline.herald.apiUrl}/v1/me`)).status).toBe(401);
  });
});
