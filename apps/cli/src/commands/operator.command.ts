import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { CliError, ExitCode } from '../output/exit-codes';

/** The one-shot commands apps/herald runs (apps/herald/src/commands/commands.registry.ts). */
export const OPERATOR_COMMANDS: Record<string, string> = {
  migrate: 'apply pending database migrations (DATABASE_URL)',
  'create-topics': "create Herald's missing Kafka topics (KAFKA_BROKERS)",
  rekey: 're-seal every secret under HERALD_MASTER_KEY',
  'rebuild-projections': 'rebuild the delivery projections from Kafka',
  'maintain-log': 'one delivery-log maintenance run now',
  start: 'run the services in HERALD_SERVICES in this process (the all-in-one)',
};

/** The built launcher beside this CLI in dist (dist/apps/herald/src/main.js). */
export function launcherPath(cliDir: string): string {
  return resolve(cliDir, '..', '..', 'herald', 'src', 'main.js');
}

/**
 * Runs the launcher as its own process, exactly as the image and the Helm hooks do, so these
 * commands behave the same from `herald` as from `node dist/apps/herald/src/main.js`.
 */
function runLauncher(cliDir: string, args: string[]): Promise<number> {
  const main = launcherPath(cliDir);
  if (!existsSync(main)) throw new CliError(`${main} is missing; run npm run build`, ExitCode.Usage);
  const child = spawn(process.execPath, [main, ...args], { stdio: 'inherit' });
  // Ctrl-C reaches the child from the terminal; this process only waits for it to finish.
  const ignore = () => undefined;
  process.on('SIGINT', ignore);
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  return new Promise((done, failed) => {
    child.once('error', failed);
    child.once('exit', (code, signal) => {
      process.removeListener('SIGINT', ignore);
      done(code ?? (signal ? 128 + 2 : 1));
    });
  });
}

export function registerOperatorCommands(
  program: Command,
  cliDir: string,
  exit: (code: number) => void,
): void {
  for (const [name, description] of Object.entries(OPERATOR_COMMANDS)) {
    program
      .command(name)
      .description(`operator: ${description}`)
      .allowUnknownOption()
      .allowExcessArguments()
      .argument('[args...]')
      .action(async (args: string[]) => {
        exit(await runLauncher(cliDir, name === 'start' ? args : [name, ...args]));
      });
  }
}
