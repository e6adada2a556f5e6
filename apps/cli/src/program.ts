import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command, CommanderError } from 'commander';
import { registerDeliveries } from './commands/deliveries.command';
import { registerDoctor } from './commands/doctor.command';
import { registerEndpoints } from './commands/endpoints.command';
import { registerEvents } from './commands/events.command';
import { registerJobs } from './commands/jobs.command';
import { registerLogin } from './commands/login.command';
import { registerOperatorCommands } from './commands/operator.command';
import { ExitCode, describeFailure, oneLine } from './output/exit-codes';

const EXIT_CODES_HELP = `
Exit codes:
  0    ok
  1    the API refused or failed, or a job did not succeed
  2    usage or configuration (bad flags, no API URL, key or workspace)
  3    authentication: key missing, unknown, revoked or not allowed (401, 403)
  4    not found (404)
  5    the API, Kafka or Postgres could not be reached
  6    doctor found problems
  130  Ctrl-C while following a job (the job keeps running)

Settings: flags > HERALD_API_URL, HERALD_API_KEY, HERALD_WORKSPACE, KAFKA_BROKERS, DATABASE_URL,
HERALD_ADMIN_TOKEN > the config file (herald login) > .herald/dev.json (npm run dev).`;

/** Herald's version from the package.json beside dist (dist/apps/cli/src -> the package root). */
function packageVersion(cliDir: string): string {
  try {
    const text = readFileSync(resolve(cliDir, '..', '..', '..', '..', 'package.json'), 'utf8');
    return (JSON.parse(text) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

export function buildProgram(cliDir: string, exit: (code: number) => void): Command {
  const program = new Command('herald')
    .version(packageVersion(cliDir), '-V, --version')
    .description('Herald from a terminal: endpoints, deliveries, jobs, events and diagnosis')
    .option('--api-url <url>', 'API base URL (HERALD_API_URL)')
    .option('--key <key>', 'API key (HERALD_API_KEY)')
    .option('--workspace <id>', 'workspace id (HERALD_WORKSPACE)')
    .option('--brokers <list>', 'Kafka brokers, host:port,... (KAFKA_BROKERS)')
    .option('--database-url <url>', 'Postgres URL, for doctor (DATABASE_URL)')
    .option('--admin-token <token>', 'operator token, for doctor details (HERALD_ADMIN_TOKEN)')
    .option('--json', 'print JSON for scripts instead of tables')
    .option('--no-color', 'no colour (also off when not a terminal or with NO_COLOR)')
    .addHelpText('after', EXIT_CODES_HELP)
    .exitOverride()
    .configureOutput({
      // Commander's own errors (unknown option, missing argument) are one line too.
      outputError: (text, write) => write(`herald: ${oneLine(text.replace(/^error: /, ''))}\n`),
    });
  registerLogin(program);
  registerEndpoints(program);
  registerDeliveries(program);
  registerJobs(program);
  registerEvents(program);
  registerDoctor(program);
  registerOperatorCommands(program, cliDir, exit);
  return program;
}

/** Parses and runs; resolves to the exit code, every failure already printed in one line. */
export async function runCli(argv: string[], cliDir: string): Promise<number> {
  let forced: number | undefined;
  const program = buildProgram(cliDir, (code) => (forced = code));
  try {
    await program.parseAsync(argv);
    return forced ?? ExitCode.Ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage;
    }
    const { exitCode, message } = describeFailure(error);
    process.stderr.write(`herald: ${message}\n`);
    return exitCode;
  }
}
