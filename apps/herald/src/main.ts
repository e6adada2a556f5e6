import 'reflect-metadata';
import { loadConfig } from '@herald/config';
import { runMain, serviceEnv } from '@herald/runtime';
import { startTelemetry } from '@herald/telemetry';
import { COMMANDS } from './commands/commands.registry';
import { migrateCommand } from './commands/migrate.command';
import { heraldEnv } from './herald.env';
import { startHerald } from './start-herald';

const command = process.argv[2];

if (command && !Object.hasOwn(COMMANDS, command)) {
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
    await migrateCommand();
  }
  const telemetry = startTelemetry(HERALD_SERVICES);
  const stop = await startHerald(HERALD_SERVICES, { port: env.HERALD_HTTP_PORT, host: env.HERALD_HTTP_HOST });
  return async () => {
    await stop();
    await telemetry.shutdown();
  };
});
