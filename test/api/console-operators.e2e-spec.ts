import { randomUUID } from 'node:crypto';
import { eventually } from '@herald/testing';
import { startPipeline, type Pipeline } from '../support/pipeline';

interface SystemBody {
  services: { name: string; status: string; detail?: string }[];
  topics: { topic: string; group: string; lag: number }[];
  deadLetters: { topic: string; count: number }[];
}
interface WorkspacePage {
  data: { id: string; name: string; createdAt: string }[];
  nextCursor: string | null;
}

/**
 * The operator's views: every workspace, page by page, and the system (services, consumer lag, dead
 * letters) read from the cluster. The API runs in one process and the workers in another, so the
 * workers can be stopped and their lag seen growing.
 */
describe('operator views', () => {
  let pipeline: Pipeline;
  const workers = ['router', 'dispatcher', 'scheduler', 'projector'];

  beforeAll(async () => {
    pipeline = await startPipeline({
      label: 'console-operators',
      migrate: true,
      services: ['api'],
      moreProcesses: [workers],
    });
  });

  afterAll(async () => {
    await pipeline?.stop();
  });

  const system = () => pipeline.admin.call<SystemBody>('GET', '/v1/system');
  const serviceOf = (body: SystemBody, name: string) => body.services.find((s) => s.name === name);

  it('lists every workspace oldest first, page by page', async () => {
    const names = [0, 1, 2].map((i) => `ops-${i}-${randomUUID().slice(0, 6)}`);
    const ids: string[] = [];
    for (const name of names) ids.push((await pipeline.admin.createWorkspace(name)).id);
    const seen: WorkspacePage['data'] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `?limit=2&cursor=${cursor}` : '?limit=2';
      const page: WorkspacePage = await pipeline.admin.call<WorkspacePage>('GET', `/v1/workspaces${query}`);
      expect(page.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.data);
      cursor = page.nextCursor;
    } while (cursor);
    const ours = seen.filter((w) => ids.includes(w.id));
    expect(ours.map((w) => w.name)).toEqual(names);
    expect(new Set(seen.map((w) => w.id)).size).toBe(seen.length);
    expect((await pipeline.admin.request('GET', '/v1/workspaces?cursor=not-a-cursor')).status).toBe(400);
  });

  it('refuses both views to API keys', async () => {
    const { client } = await pipeline.admin.provisionWorkspace(`ops-key-${randomUUID().slice(0, 6)}`);
    expect((await client.request('GET', '/v1/workspaces')).status).toBe(403);
    expect((await client.request('GET', '/v1/system')).status).toBe(403);
  });

  it('shows every service up, consumer lag per topic and dead letters', async () => {
    const before = await system();
    const invalidBefore = before.deadLetters.find((d) => d.topic === 'herald.events.invalid')?.count ?? 0;
    // One event the router routes, one it dead-letters (not JSON).
    const workspaceId = `ops-${randomUUID().slice(0, 6)}`;
    await pipeline.producer.send({
      topic: 'domain.leads',
      messages: [
        {
          key: 'lead-1',
          value: JSON.stringify({
            id: randomUUID(),
            type: 'lead.created',
            workspaceId,
            occurredAt: new Date().toISOString(),
            data: { id: 'lead_1', visitor_name: 'Ada', visitor_email: 'ada@example.com' },
          }),
        },
        { key: 'broken', value: '{not json' },
      ],
    });
    const settled = await eventually(async () => {
      const body = await system();
      const leads = body.topics.find((t) => t.group === 'herald-router' && t.topic === 'domain.leads');
      const invalid = body.deadLetters.find((d) => d.topic === 'herald.events.invalid');
      return leads?.lag === 0 &&
        invalid?.count === invalidBefore + 1 &&
        body.services.every((s) => s.status === 'up')
        ? body
        : undefined;
    }, 60_000);
    expect(settled.services.map((s) => `${s.name}: ${s.status} ${s.detail ?? ''}`.trim())).toEqual([
      'api: up',
      'postgres: up',
      expect.stringMatching(/^kafka: up \d+ broker\(s\)$/),
      ...[...workers, 'api-commands'].map((name) =>
        expect.stringMatching(new RegExp(`^${name}: up \\d+ member`)),
      ),
    ]);
    expect(serviceOf(settled, 'kafka')?.detail).toMatch(/broker/);
    expect(settled.deadLetters.map((d) => d.topic)).toEqual([
      'herald.deliveries.dead',
      'herald.events.invalid',
    ]);
    const groups = [
      'herald-router',
      'herald-dispatcher',
      'herald-scheduler',
      'herald-projector',
      'herald-api',
    ];
    for (const row of settled.topics) {
      expect(groups).toContain(row.group);
      expect(row.lag).toBeGreaterThanOrEqual(0);
    }
  });

  it('shows a stopped service down and its lag growing', async () => {
    await pipeline.processes[1].stop();
    await eventually(async () => {
      const body = await system();
      return serviceOf(body, 'router')?.status === 'down' ? body : undefined;
    }, 60_000);
    const messages = [0, 1, 2].map(() => {
      const id = randomUUID();
      return {
        key: id,
        value: JSON.stringify({
          id,
          type: 'lead.created',
          workspaceId: 'ops-stopped',
          occurredAt: new Date().toISOString(),
          data: { id: 'lead_2', visitor_name: 'Ada', visitor_email: 'ada@example.com' },
        }),
      };
    });
    await pipeline.producer.send({ topic: 'domain.leads', messages });
    const body = await eventually(async () => {
      const read = await system();
      const leads = read.topics.find((t) => t.group === 'herald-router' && t.topic === 'domain.leads');
      return leads?.lag === 3 ? read : undefined;
    }, 30_000);
    expect(serviceOf(body, 'router')).toEqual({
      name: 'router',
      status: 'down',
      detail: expect.stringMatching(/^consumer group herald-router has no members/),
    });
    expect(serviceOf(body, 'api')?.status).toBe('up');
  });
});
