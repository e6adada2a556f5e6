import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { eventually, freePort, sampleMessageReceived } from '@herald/testing';
import { startPipeline, type Pipeline } from '../support/pipeline';
import { ESCAPE, cliHome, printed, type CliHome } from './cli-process';

/**
 * The real `herald` binary (bin/herald.js, stdout a pipe) against a running pipeline: set-up, endpoints,
 * the delivery log and its live tail, retry, events and doctor.
 */
describe('herald CLI', () => {
  let pipeline: Pipeline;
  let home: CliHome;
  let workspaceId: string;
  let apiKey: string;
  let auth: Record<string, string>;
  let okEndpoint: string;

  beforeAll(async () => {
    pipeline = await startPipeline({ label: 'cli-e2e', migrate: true });
    ({ workspaceId, apiKey } = await pipeline.admin.provisionWorkspace(`cli-${randomUUID().slice(0, 6)}`));
    home = cliHome(mkdtempSync(join(tmpdir(), 'herald-cli-e2e-')));
    auth = { HERALD_API_URL: pipeline.herald.apiUrl, HERALD_API_KEY: apiKey, HERALD_WORKSPACE: workspaceId };
  });

  afterAll(async () => {
    await pipeline?.stop();
    if (home) rmSync(home.dir, { recursive: true, force: true });
  });

  const json = <T>(stdout: string) => JSON.parse(stdout) as T;
  const produce = async (data: Record<string, unknown> = {}) => {
    const event = sampleMessageReceived(workspaceId, { data });
    await pipeline.producer.send({
      topic: 'domain.messages',
      messages: [{ key: event.id, value: JSON.stringify(event) }],
    });
    return event;
  };

  it('login checks the key and stores it in a file only the user can read', async () => {
    const flags = ['--api-url', pipeline.herald.apiUrl, '--workspace', workspaceId];
    const refused = await home.run(['login', ...flags, '--key', 'hk_wrong']);
    expect(refused.code).toBe(3);
    expect(refused.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^herald: unknown or revoked API key/),
    ]);

    const result = await home.run(['login', ...flags, '--key', apiKey, '--json']);
    expect(result.code).toBe(0);
    const path = json<{ configFile: string }>(result.stdout).configFile;
    expect(path).toBe(join(home.dir, 'xdg', 'herald', 'config.json'));
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(home.dir, 'xdg', 'herald')).mode & 0o777).toBe(0o700);

    // No flags or env now: the file answers; a flag still wins over it.
    const listed = await home.run(['endpoints', 'list', '--json']);
    expect(listed.code).toBe(0);
    const shown = await home.run(['config', '--json', '--workspace', 'other']);
    const rows = json<{ settings: { setting: string; source: string; value: string }[] }>(
      shown.stdout,
    ).settings;
    expect(rows.find((row) => row.setting === 'apiKey')).toMatchObject({ source: 'config' });
    expect(rows.find((row) => row.setting === 'apiKey')!.value).not.toContain(apiKey.slice(8));
    expect(rows.find((row) => row.setting === 'workspaceId')).toMatchObject({
      source: 'flag',
      value: 'other',
    });
    expect((await home.run(['logout'])).code).toBe(0);
  });

  it('works with no set-up from .herald/dev.json, as npm run dev writes it', async () => {
    const project = join(home.dir, 'project');
    mkdirSync(join(project, '.herald'), { recursive: true });
    writeFileSync(
      join(project, '.herald', 'dev.json'),
      JSON.stringify({ apiUrl: pipeline.herald.apiUrl, adminToken: 'x'.repeat(16), workspaceId, apiKey }),
    );
    const nested = join(project, 'src');
    mkdirSync(nested);
    const result = await home.run(['endpoints', 'list', '--json'], {}, nested);
    expect(result.code).toBe(0);
    expect(json<{ data: unknown[] }>(result.stdout).data).toEqual(expect.any(Array));
  });

  it('creates, reads, changes, tests, rotates and deletes an endpoint with --json', async () => {
    const created = await home.run(
      [
        'endpoints',
        'create',
        '--url',
        pipeline.receiver.url('/cli-ok'),
        '--event-types',
        'message.*',
        '--description',
        'cli',
        '--json',
      ],
      auth,
    );
    expect(created.code).toBe(0);
    const endpoint = json<{ id: string; secret: string; eventTypes: string[] }>(created.stdout);
    expect(endpoint).toMatchObject({ eventTypes: ['message.*'], secret: expect.any(String) });
    okEndpoint = endpoint.id;

    const updated = await home.run(
      ['endpoints', 'update', okEndpoint, '--description', 'changed', '--json'],
      auth,
    );
    expect(json<{ description: string; version: number }>(updated.stdout)).toMatchObject({
      description: 'changed',
      version: 2,
    });
    const got = await home.run(['endpoints', 'get', okEndpoint, '--json'], auth);
    expect(json<{ id: string; description: string }>(got.stdout)).toMatchObject({
      id: okEndpoint,
      description: 'changed',
    });
    const listed = await home.run(['endpoints', 'list'], auth);
    expect(listed.stdout).toContain(okEndpoint);
    expect(listed.stdout).not.toContain(ESCAPE);

    const tested = await home.run(['endpoints', 'test', okEndpoint, '--json'], auth);
    expect(json<{ delivered: boolean; status: number }>(tested.stdout)).toMatchObject({
      delivered: true,
      status: 200,
    });
    const rotated = await home.run(
      ['endpoints', 'rotate-secret', okEndpoint, '--grace-period', '1h', '--json'],
      auth,
    );
    expect(rotated.code).toBe(0);
    expect(json<{ secret: string }>(rotated.stdout).secret).not.toBe(endpoint.secret);

    const doomed = json<{ id: string }>(
      (
        await home.run(
          [
            'endpoints',
            'create',
            '--url',
            pipeline.receiver.url('/cli-doomed'),
            '--event-types',
            'lead.*',
            '--json',
          ],
          auth,
        )
      ).stdout,
    ).id;
    expect((await home.run(['endpoints', 'delete', doomed, '--json'], auth)).code).toBe(0);
    const gone = await home.run(['endpoints', 'get', doomed], auth);
    expect(gone.code).toBe(4);
    expect(gone.stderr.trim().split('\n')).toHaveLength(1);
    const invalid = await home.run(
      ['endpoints', 'create', '--url', 'https://x.test', '--event-types', 'nope.thing'],
      auth,
    );
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toMatch(/^herald: .*nope\.thing.*\[422 UNKNOWN_EVENT_TYPE\]\n$/);
  });

  it('tail shows a delivery produced after it started, with its attempt, and stops cleanly on Ctrl-C', async () => {
    const tail = home.start(['deliveries', 'tail', '--endpoint', okEndpoint, '--interval', '200'], auth);
    await tail.waitForStderr('following deliveries');
    const event = await produce();
    const line = await tail.waitForLine(
      (text) => text.includes('succeeded') && text.includes('message.received'),
    );
    expect(line).toMatch(/^\d\d:\d\d:\d\d {2}succeeded {2}message\.received +attempt 1: HTTP 200 {2}\S+ -> /);
    expect(line).toContain(okEndpoint);
    expect(tail.stdout).not.toContain(ESCAPE);
    tail.signal('SIGINT');
    const ended = await tail.done();
    expect(ended.code).toBe(0);
    // Only deliveries requested after the tail started, each state once.
    expect(new Set(ended.stdout.split('\n').filter(Boolean)).size).toBe(
      ended.stdout.split('\n').filter(Boolean).length,
    );

    const listed = await home.run(
      ['deliveries', 'list', '--endpoint', okEndpoint, '--status', 'succeeded', '--no-test', '--json'],
      auth,
    );
    const page = json<{ data: { id: string; eventId: string; test: boolean; status: string }[] }>(
      listed.stdout,
    );
    const delivery = page.data.find((d) => d.eventId === event.id)!;
    expect(delivery).toBeDefined();
    expect(page.data.every((d) => !d.test && d.status === 'succeeded')).toBe(true);
    const pings = await home.run(['deliveries', 'list', '--endpoint', okEndpoint, '--test', '--json'], auth);
    expect(json<{ data: { test: boolean }[] }>(pings.stdout).data).toEqual([
      expect.objectContaining({ test: true }),
    ]);
    const byEvent = await home.run(['deliveries', 'list', '--event', event.id, '--json'], auth);
    expect(json<{ data: { id: string }[] }>(byEvent.stdout).data.map((d) => d.id)).toEqual([delivery.id]);
    const badStatus = await home.run(['deliveries', 'list', '--status', 'lost'], auth);
    expect(badStatus.code).toBe(2);

    const detail = await home.run(['deliveries', 'get', delivery.id, '--json'], auth);
    expect(json<{ attempts: { outcome: string }[] }>(detail.stdout).attempts).toEqual([
      expect.objectContaining({ outcome: 'succeeded' }),
    ]);
    const human = await home.run(['deliveries', 'get', delivery.id], auth);
    expect(human.stdout).toContain('attempts');

    const retried = await home.run(['retry', delivery.id, '--json'], auth);
    expect(retried.code).toBe(0);
    expect(json(retried.stdout)).toEqual({ deliveryId: delivery.id, attempt: 2 });
    await eventually(async () => {
      const again = await home.run(['deliveries', 'get', delivery.id, '--json'], auth);
      const body = json<{ attemptCount: number; status: string }>(again.stdout);
      return body.attemptCount === 2 && body.status === 'succeeded' ? body : undefined;
    });
    expect((await home.run(['retry', randomUUID()], auth)).code).toBe(4);
  });

  it('events send refuses what the catalogue refuses, producing nothing, and delivers a good event', async () => {
    const admin = pipeline.kafka.admin();
    await admin.connect();
    const written = async () =>
      (await admin.fetchTopicOffsets('domain.messages')).reduce((sum, p) => sum + Number(p.high), 0);
    const kafka = { ...auth, KAFKA_BROKERS: pipeline.env.kafkaBrokers.join(',') };
    try {
      const before = await written();
      const bad = await home.run(['events', 'send', 'message.received', '--data', '{"id":"msg_1"}'], kafka);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toBe(
        "herald: event refused (schema_violation): message.received v1: data must have required property 'conversationId'\n",
      );
      const notJson = await home.run(['events', 'send', 'message.received', '--data', '{nope'], kafka);
      expect(notJson.code).toBe(2);
      expect(await written()).toBe(before);

      const id = randomUUID();
      const good = await home.run(
        [
          'events',
          'send',
          'message.received',
          '--id',
          id,
          '--data',
          '{"id":"msg_cli","conversationId":"cnv_cli"}',
          '--json',
        ],
        kafka,
      );
      expect(good.code).toBe(0);
      expect(json(good.stdout)).toMatchObject({ topic: 'domain.messages', event: { id, workspaceId } });
      const [request] = await pipeline.receiver.waitFor(
        1,
        (r) => r.path === '/cli-ok' && r.body.toString().includes(id),
      );
      expect(request.body.toString()).toContain('msg_cli');
      expect(await written()).toBe(before + 1);
    } finally {
      await admin.disconnect();
    }
  });

  describe('doctor', () => {
    const doctorEnv = () => ({
      ...auth,
      KAFKA_BROKERS: pipeline.env.kafkaBrokers.join(','),
      DATABASE_URL: pipeline.env.databaseUrl,
      HERALD_ADMIN_TOKEN: 'test-admin-token',
      HERALD_RETRY_TIERS: '200ms,500ms,1s,2s',
    });

    it('passes on a healthy pipeline', async () => {
      const result = await home.run(['doctor', '--json'], doctorEnv());
      expect({ code: result.code, out: result.code === 0 ? '' : printed(result) }).toEqual({
        code: 0,
        out: '',
      });
      const report = json<{ ok: boolean; findings: { check: string; status: string }[] }>(result.stdout);
      expect(report.ok).toBe(true);
      const checks = report.findings.map((finding) => finding.check);
      expect(checks).toEqual(
        expect.arrayContaining([
          'kafka',
          'topics',
          'postgres',
          'migrations',
          `health ${pipeline.herald.apiUrl}`,
        ]),
      );
      expect(checks.filter((check) => check.startsWith('lag '))).toHaveLength(5);
    });

    it('reports a missing topic and an unreachable API with how to fix them, and exits 6', async () => {
      // A free port nothing listens on (fetch refuses low ports like 9 outright).
      const closed = `http://127.0.0.1:${await freePort()}`;
      const result = await home.run(['doctor', '--api-url', closed], {
        ...doctorEnv(),
        HERALD_DOMAIN_TOPICS: 'domain.messages,domain.cli-missing',
      });
      expect(result.code).toBe(6);
      expect(result.stdout).toMatch(
        /FAIL {2}topics: 1 topic\(s\) missing: domain\.cli-missing\n {6}fix: run `herald create-topics`/,
      );
      expect(result.stdout).toContain(`FAIL  health ${closed}: not reachable: ECONNREFUSED`);
      expect(result.stdout).toContain('ok    postgres');
      expect(result.stdout).not.toContain(ESCAPE);
      expect(result.stderr).toBe('herald: doctor found 2 problem(s)\n');
    });
  });

  it('runs the operator commands of apps/herald, with their exit code', async () => {
    const migrated = await home.run(['migrate'], { DATABASE_URL: pipeline.env.databaseUrl });
    expect({ code: migrated.code, stdout: migrated.stdout }).toEqual({
      code: 0,
      stdout: 'herald: 0 migration(s) applied\n',
    });
    const broken = await home.run(['migrate'], { DATABASE_URL: 'not-a-url' });
    expect(broken.code).not.toBe(0);
  });
});
