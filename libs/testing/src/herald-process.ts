import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { freePort } from './embedded-postgres';

export interface HeraldProcessOptions {
  env: Record<string, string>;
  /** Services to run in this process (HERALD_SERVICES); all by default. */
  services?: string[];
  port?: number;
  /** Print the child's output (for debugging a test). */
  inheritOutput?: boolean;
  /** Called with every chunk the child writes; `output` keeps only the latest ones. */
  onOutput?: (chunk: string) => void;
}

/**
 * Herald's all-in-one entry point as a real child process, so tests can SIGKILL and restart it.
 * Needs `npm run build` first (the test command does it).
 */
export class HeraldProcess {
  private child?: ChildProcess;
  readonly output: string[] = [];

  constructor(private readonly options: HeraldProcessOptions & { port: number }) {}

  static async start(options: HeraldProcessOptions): Promise<HeraldProcess> {
    const herald = new HeraldProcess({ ...options, port: options.port ?? (await freePort()) });
    await herald.start();
    return herald;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get apiUrl(): string {
    return `http://127.0.0.1:${this.options.port}`;
  }

  async start(): Promise<void> {
    const main = process.env.HERALD_ENTRY ?? resolve(process.cwd(), 'dist/apps/herald/src/main.js');
    // Extra node flags for the services only, e.g. HERALD_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof".
    const nodeArgs = (process.env.HERALD_NODE_ARGS ?? '').split(' ').filter(Boolean);
    const child = spawn(process.execPath, [...nodeArgs, main], {
      env: {
        ...process.env,
        ...this.options.env,
        HERALD_HTTP_PORT: String(this.options.port),
        HERALD_HTTP_HOST: '127.0.0.1',
        ...(this.options.services ? { HERALD_SERVICES: this.options.services.join(',') } : {}),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    const capture = (chunk: Buffer) => {
      const text = chunk.toString();
      this.output.push(text);
      if (this.output.length > 2000) this.output.splice(0, 1000);
      this.options.onOutput?.(text);
      if (this.options.inheritOutput) process.stderr.write(text);
    };
    child.stdout!.on('data', capture);
    child.stderr!.on('data', capture);
    await this.waitReady(child);
  }

  private async waitReady(child: ChildProcess, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) {
        throw new Error(`herald exited with ${child.exitCode}:\n${this.output.join('').slice(-4000)}`);
      }
      try {
        const res = await fetch(`${this.apiUrl}/health/ready`);
        if (res.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`herald not ready after ${timeoutMs} ms:\n${this.output.join('').slice(-4000)}`);
  }

  /** SIGTERM and wait: the graceful path. */
  async stop(): Promise<void> {
    await this.signal('SIGTERM');
  }

  /** SIGKILL: nothing in flight gets to finish. */
  async kill(): Promise<void> {
    await this.signal('SIGKILL');
  }

  private async signal(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill(signal);
    await exited;
  }
}
