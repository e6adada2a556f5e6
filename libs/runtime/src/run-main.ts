import { ConfigError } from '@herald/config';

/**
 * Wraps a process entry point: a configuration error prints one clear line and exits 1; SIGINT and
 * SIGTERM run `shutdown` once, so in-flight work finishes before exit.
 */
export function runMain(main: () => Promise<() => Promise<void>>): void {
  let shutdown: (() => Promise<void>) | undefined;
  let stopping = false;
  let signalledDuringStart: string | undefined;
  const stop = async (signal: string) => {
    if (stopping) return;
    if (!shutdown) {
      // Still starting: stop as soon as start-up returns its shutdown, so nothing is left behind.
      signalledDuringStart = signal;
      return;
    }
    stopping = true;
    process.stderr.write(`herald: ${signal} received, shutting down\n`);
    try {
      await shutdown?.();
      process.exit(0);
    } catch (error) {
      process.stderr.write(`herald: shutdown failed: ${(error as Error).message}\n`);
      process.exit(1);
    }
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
  main()
    .then((fn) => {
      shutdown = fn;
      if (signalledDuringStart) void stop(signalledDuringStart);
    })
    .catch((error: unknown) => {
      if (error instanceof ConfigError) process.stderr.write(`${error.message}\n`);
      else process.stderr.write(`herald: failed to start: ${(error as Error).stack ?? String(error)}\n`);
      process.exit(1);
    });
}
