import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { eventually, sampleMessageReceived, type HeraldApiClient } from '@herald/testing';
import type { JobBody } from '../support/api-bodies';
import { startPipeline, type Pipeline } from '../support/pipeline';
import { ESCAPE, cliHome, printed, type CliHome } from './cli-process';

const BULK = 'cli.bulk';
const BULK_EVENTS = 40_000;

/**
 * `herald recover` and `herald backfill` follow their job to the end with progress; stdout is a pipe
 * here, so progress is plain lines. Ctrl-C stops following, never the job.
 */
describe('herald CLI jobs', () => {
  let pipeline: Pipeline;
  let home: CliHome;
  let api: HeraldApiClient;
  let workspaceId: string;
  let auth: Record<string, string>;

  beforeAll(async () => {
    pipeline = await startPipeline({
      label: 'cli-jobs-e2e',
      migrate: true,
      heraldEnv: { HERALD_DOMAIN_TOPICS: `domain.messages,${BULK}` },
      beforeHerald: async ({ kafka }) => {
        const admin = kafka.admin();
        await admin.connect();
        await admin.createTopics({ waitForLeaders: true, topics: [{ topic: BULK, numPartitions: 1 }] });
        await admin.disconnect();
      },
    });
    let apiKey: string;
    ({
      workspaceId,
      apiKey,
      client: api,
    } = await pipeline.admin.provisionWorkspace(`cli-jobs-${randomUUID().slice(0, 6)}`));
    home = cliHome(mkdtempSync(join(tmpdir(), 'herald-cli-jobs-')));
    auth = { HERALD_API_URL: pipeline.herald.apiUrl, HERALD_API_KEY: apiKey, HERALD_WORKSPACE: workspaceId };
    pipeline.receiver.respondWith((request, res) => {
      res.writeHead(request.path.startsWith('/cli-fail') ? 500 : 200).end();
    });
  });

  afterAll(async () => {
    await pipeline?.stop();
    if (home) rmSync(home.dir, { recursive: true, force: true });
  });

  const event = (workspace = workspaceId) =>
    sampleMessageReceived(workspace, {
      data: { from: '+17025551111', to: ['+17025550100'], text: 'cli', outbound: false },
    });

  it('recover shows plain progress lines to completion, with the final counts', async () => {
    const endpoint = await api.createEndpoint(workspaceId, {
      url: pipeline.receiver.url('/cli-fail'),
      eventTypes: ['message.*'],
      retrySchedule: ['200ms'],
    });
    const events = [event(), event(), event()];
    await pipeline.producer.send({
      topic: 'domain.messages',
      messages: events.map((e) => ({ key: e.id, value: JSON.stringify(e) })),
    });
    await eventually(async () => {
      const listed = await home.run(
        ['deliveries', 'list', '--endpoint', endpoint.id, '--status', 'failed', '--json'],
        auth,
      );
      return (JSON.parse(listed.stdout) as { data: unknown[] }).data.length === 3 || undefined;
    }, 60_000);

    const result = await home.run(['recover', endpoint.id, '--since', '10m', '--interval', '100'], auth);
    expect({ code: result.code, out: result.code === 0 ? '' : printed(result) }).toEqual({
      code: 0,
      out: '',
    });
    const lines = result.stdout.trim().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const line of lines.slice(0, -1))
      expect(line).toMatch(
        /^recover \S+ (running|succeeded): \d+\/(\d+|\?) processed \((\d+|\?)%\), \d+ produced$/,
      );
    expect(lines[lines.length - 1]).toMatch(/^recover \S+ succeeded: 3 of 3 processed, 3 produced$/);
    expect(result.stdout).not.toContain(ESCAPE);
    expect(result.stdout).not.toContain('\r');
    // The recovered deliveries were sent again.
    await pipeline.receiver.waitFor(9, (r) => r.path === '/cli-fail', 30_000);
  });

  describe('with a backfill that takes a while', () => {
    beforeAll(async () => {
      // Another workspace's events: the backfill reads every offset, matches none, and the router drops them.
      const other = randomUUID();
      for (let sent = 0; sent < BULK_EVENTS; sent += 1_000) {
        const batch = Array.from({ length: 1_000 }, () => event(other));
        await pipeline.producer.send({
          topic: BULK,
          messages: batch.map((e) => ({ key: e.id, value: JSON.stringify(e) })),
        });
      }
    }, 180_000);

    it('Ctrl-C leaves the job running and says how to watch it again', async () => {
      const endpoint = await api.createEndpoint(workspaceId, {
        url: pipeline.receiver.url('/cli-ok'),
        eventTypes: ['message.*'],
      });
      const cli = home.start(['backfill', endpoint.id, '--since', '1h', '--interval', '100'], auth);
      const first = await cli.waitForLine((line) => line.startsWith('backfill '));
      const jobId = first.split(' ')[1];
      cli.signal('SIGINT');
      const result = await cli.done();
      if (result.stdout.includes(' succeeded: '))
        throw new Error(`the job ended before Ctrl-C:\n${printed(result)}`);
      expect(result.code).toBe(130);
      expect(result.stdout).toContain(
        `backfill ${jobId} keeps running; watch it again with: herald jobs watch ${jobId}`,
      );
      expect(result.stderr).toBe(`herald: stopped following backfill ${jobId}\n`);

      const watched = await home.run(['jobs', 'watch', jobId, '--interval', '100'], auth);
      expect(watched.code).toBe(0);
      const summary = /^backfill \S+ succeeded: (\d+) of (\d+) processed, 3 produced/.exec(
        watched.stdout.trim().split('\n').pop() ?? '',
      );
      expect(summary).not.toBeNull();
      expect(Number(summary![1])).toBe(Number(summary![2]));
      expect(Number(summary![1])).toBeGreaterThanOrEqual(BULK_EVENTS);
      const job = await api.call<JobBody>('GET', `/v1/workspaces/${workspaceId}/jobs/${jobId}`);
      expect(job).toMatchObject({ state: 'succeeded', cancelRequested: false });
      const listed = await home.run(['jobs', 'list', '--json'], auth);
      expect((JSON.parse(listed.stdout) as { data: { id: string }[] }).data.map((j) => j.id)).toContain(
        jobId,
      );
    });
  });
});
