import 'reflect-metadata';
import { loadConfig } from '@herald/config';
import { runMain, serviceEnv } from '@herald/runtime';
import { startTelemetry } from '@herald/telemetry';
import { heraldEnv } from './herald.env';
import { startHerald } from './start-herald';

runMain(async () => {
  const env = loadConfig(serviceEnv);
  const { HERALD_SERVICES } = loadConfig(heraldEnv);
  const telemetry = startTelemetry(HERALD_SERVICES);
  const stop = await startHerald(HERALD_SERVICES, { port: env.HERALD_HTTP_PORT, host: env.HERALD_HTTP_HOST });
  return async () => {
    await stop();
    await telemetry.shutdown();
  };
});
