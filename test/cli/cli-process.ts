import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { pollUntil } from '@herald/testing';

const BIN = resolve(process.cwd(), 'bin/herald.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The real `herald` binary as a child process with pipes for stdout and stderr, so it never sees a
 * terminal: what scripts and CI get.
 */
export class CliProcess {
  stdout = '';
  stderr = '';
  private readonly exited: Promise<CliResult>;

  private constructor(readonly child: ChildProcess) {
    child.stdout!.on('data', (chunk: Buffer) => (this.stdout += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.exited = new Promise((done) =>
      child.once('close', (code) => done({ code, stdout: this.stdout, stderr: this.stderr })),
    );
  }

  static start(args: string[], options: { env: Record<string, string>; cwd: string }): CliProcess {
    return new CliProcess(
      spawn(process.execPath, [BIN, ...args], {
        env: options.env,
        cwd: options.cwd,
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    );
  }

  get lines(): string[] {
    return this.stdout.split('\n').filter(Boolean);
  }

  /** Waits for a stdout line matching `test` (or fails with what was printed). */
  async waitForLine(test: (line: string) => boolean, timeoutMs = 30_000): Promise<string> {
    let found: string | undefined;
    await pollUntil(
      () => (found = this.lines.find(test)) !== undefined,
      timeoutMs,
      25,
      () => `no matching line within ${timeoutMs} ms; stdout:\n${this.stdout}\nstderr:\n${this.stderr}`,
    );
    return found!;
  }

  async waitForStderr(text: string, timeoutMs = 30_000): Promise<void> {
    await pollUntil(
      () => this.stderr.includes(text),
      timeoutMs,
      25,
      () => `stderr never said "${text}"; stderr:\n${this.stderr}`,
    );
  }

  signal(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  done(): Promise<CliResult> {
    return this.exited;
  }
}

/** A folder standing in for the user's home and working directory: no config file, no dev.json. */
export interface CliHome {
  dir: string;
  /** The environment a user with nothing set up has, plus `extra`. */
  env(extra?: Record<string, string>): Record<string, string>;
  run(args: string[], extra?: Record<string, string>, cwd?: string): Promise<CliResult>;
  start(args: string[], extra?: Record<string, string>, cwd?: string): CliProcess;
}

export function cliHome(dir: string): CliHome {
  const env = (extra: Record<string, string> = {}) => ({
    PATH: process.env.PATH ?? '',
    HOME: dir,
    XDG_CONFIG_HOME: resolve(dir, 'xdg'),
    ...extra,
  });
  const start = (args: string[], extra?: Record<string, string>, cwd = dir) =>
    CliProcess.start(args, { env: env(extra), cwd });
  return { dir, env, start, run: (args, extra, cwd) => start(args, extra, cwd).done() };
}

/** What the binary printed, for assertion messages. */
export function printed(result: CliResult): string {
  return `exit ${result.code}\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`;
}

export const ESCAPE = String.fromCharCode(27);
