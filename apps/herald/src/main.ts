import 'reflect-metadata';
import { loadConfig } from '@herald/config';
import { databaseEnv, rekeySecretsFromEnv, runMigrations } from '@herald/persistence';
import { runMain, serviceEnv } from '@herald/runtime';
import { startTelemetry } from '@herald/telemetry';
import { rebuildProjectionsCommand } from '../../projector/src/rebuild-projections.command';
import { createTopicsCommand } from './create-topics.command';
import { heraldEnv } from './herald.env';
import { startHerald } from './start-herald';

/** One-shot commands: run, print what they did, exit. */
const COMMANDS: Record<string, () => Promise<void>> = {
  migrate: async () => {
    const database = loadConfig(databaseEnv);
    const applied = await runMigrations(database.DATABASE_URL, { ssl: database.DATABASE_SSL });
    // One line, like every notice printed outside the JSON logs.
    process.stdout.write(
      `herald: ${applied.length} migration(s) applied${applied.length ? `: ${applied.join(', ')}` : ''}\n`,
    );
  },
  'create-topics': createTopicsCommand,
  rekey: async () => {
    const result = await rekeySecretsFromEnv();
    process.stdout.write(`herald: ${JSON.stringify(result)}\n`);
  },
  'rebuild-projections': async () => {
    await rebuildProjectionsCommand();
  },
};

const command = process.argv[2];

if (command && !COMMANDS[command]) {
  process.stderr.write(`herald: unknown command "${command}"; known: ${Object.keys(COMMANDS).join(', ')}\n`);
  process.exit(2);
}

runMain(async () => {
  if (command) {
    await COMMANDS[command]();
    process.exit(0);
  }
  const env = loadConfig(serviceEnv);
  const { HERALD_SERVICES, HERALD_MIGRATE_ON_START } = loadConfig(heraldEnv);
  if (HERALD_MIGRATE_ON_START && (HERALD_SERVICES.includes('api') || HERALD_SERVICES.includes('projector'))) {
    await COMMANDS.migrate();
  }
  const telemetry = startTelemetry(HERALD_SERVICES);
  const stop = await startHerald(HERALD_SERVICES, { port: env.HERALD_HTTP_PORT, host: env.HERALD_HTTP_HOST });
  return async () => {
    await stop();
    await telemetry.shutdown();
  };
});
