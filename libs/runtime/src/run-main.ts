import { ConfigError } from '@herald/config';

/** Longest a graceful shutdown may take; Kubernetes' default grace period is 30 s. */
const SHUTDOWN_LIMIT_MS = 25_000;

/**
 * Wraps a process entry point: a configuration error prints one clear line and exits 1; SIGINT and
 * SIGTERM run `shutdown` once, so in-flight work finishes before exit, within SHUTDOWN_LIMIT_MS; a
 * second signal exits at once.
 */
export function runMain(main: () => Promise<() => Promise<void>>): void {
  let shutdown: (() => Promise<void>) | undefined;
  let stopping = false;
  let signalledDuringStart: string | undefined;
  const stop = async (signal: string) => {
    if (stopping) {
      // A second Ctrl-C means now.
      process.stderr.write(`herald: ${signal} received again, exiting without waiting\n`);
      process.exit(130);
    }
    if (!shutdown) {
      // Still starting: stop as soon as start-up returns its shutdown, so nothing is left behind.
      signalledDuringStart = signal;
      return;
    }
    stopping = true;
    process.stderr.write(`herald: ${signal} received, shutting down\n`);
    // A dependency that is already gone (a broker killed first) must not hold the exit for ever.
    setTimeout(() => {
      process.stderr.write(`herald: shutdown did not finish in ${SHUTDOWN_LIMIT_MS / 1000}s, exiting\n`);
      process.exit(1);
    }, SHUTDOWN_LIMIT_MS).unref();
    try {
      await shutdown?.();
      process.exit(0);
    } catch (error) {
      process.stderr.write(`herald: shutdown failed: ${(error as Error).message}\n`);
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
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
