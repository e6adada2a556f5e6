import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@herald/testing';
import { ESCAPE, cliHome, type CliHome } from './cli-process';

/** The built binary with nothing running: what it says without settings, a server or a broker. */
describe('herald CLI without a pipeline', () => {
  let home: CliHome;
  beforeAll(() => (home = cliHome(mkdtempSync(join(tmpdir(), 'herald-cli-offline-')))));
  afterAll(() => rmSync(home.dir, { recursive: true, force: true }));

  it('asks for settings it does not have, and refuses bad usage, with exit 2', async () => {
    const nothing = await home.run(['endpoints', 'list']);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toBe(
      'herald: no API URL: pass --api-url, set HERALD_API_URL or run herald login\n',
    );
    const unknown = await home.run(['endpoints', 'frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.trim().split('\n')).toHaveLength(1);
    const since = await home.run(['recover', 'e1', '--since', 'yesterday'], {
      HERALD_API_URL: 'http://127.0.0.1:1',
      HERALD_API_KEY: 'k',
      HERALD_WORKSPACE: 'w',
    });
    expect(since.code).toBe(2);
    expect(since.stderr).toContain('--since "yesterday"');
  });

  it('says in one line when the API or Kafka cannot be reached (exit 5)', async () => {
    const closed = `127.0.0.1:${await freePort()}`;
    const auth = { HERALD_API_URL: `http://${closed}`, HERALD_API_KEY: 'hk_x', HERALD_WORKSPACE: 'ws_1' };
    const api = await home.run(['endpoints', 'list'], auth);
    expect(api.code).toBe(5);
    expect(api.stderr).toBe(`herald: cannot reach the API at http://${closed} (ECONNREFUSED)\n`);
    const kafka = await home.run(
      ['events', 'send', 'lead.created', '--data', '{"id":"l1"}', '--brokers', closed],
      auth,
    );
    expect(kafka.code).toBe(5);
    expect(kafka.stderr).toMatch(
      new RegExp(`^herald: cannot reach Kafka at ${closed}: .*ECONNREFUSED.*\\n$`),
    );
  });

  it('lists the catalogue without a server, as a table or JSON', async () => {
    const table = await home.run(['events', 'types']);
    expect(table.code).toBe(0);
    expect(table.stdout.split('\n')[0]).toMatch(/^type +version +description$/);
    expect(table.stdout).not.toContain(ESCAPE);
    const types = await home.run(['events', 'types', '--json']);
    expect((JSON.parse(types.stdout) as { data: { type: string }[] }).data.map((t) => t.type)).toContain(
      'lead.deleted',
    );
  });
});
