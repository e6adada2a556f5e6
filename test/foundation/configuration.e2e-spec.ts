// Not on startPipeline: it starts no Kafka or Postgres, only Herald processes that must refuse their configuration.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const entry = resolve(process.cwd(), 'dist/apps/herald/src/main.js');

/** Start-up validation: a bad or missing value stops the service with one line naming the variable. */
function start(env: Record<string, string | undefined>) {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) => !key.startsWith('KAFKA_') && !key.startsWith('HERALD_') && key !== 'DATABASE_URL',
    ),
  );
  return spawnSync(process.execPath, [entry], {
    env: { ...clean, ...env } as NodeJS.ProcessEnv,
    encoding: 'utf8',
    timeout: 30_000,
  });
}

describe('configuration validated at start-up', () => {
  it('names a missing KAFKA_BROKERS in one line and exits 1', () => {
    const run = start({ HERALD_SERVICES: 'router' });
    expect(run.status).toBe(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Configuration error: KAFKA_BROKERS is missing/);
  });

  it('names an unknown service in HERALD_SERVICES', () => {
    const run = start({ HERALD_SERVICES: 'router,mailer', KAFKA_BROKERS: '127.0.0.1:1' });
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toMatch(
      /^Configuration error: HERALD_SERVICES is invalid \("router,mailer"\): unknown service mailer/,
    );
  });

  it('names an out-of-range port', () => {
    const run = start({ HERALD_HTTP_PORT: '70000', KAFKA_BROKERS: '127.0.0.1:1' });
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toMatch(/^Configuration error: HERALD_HTTP_PORT is invalid \("70000"\)/);
  });
});
