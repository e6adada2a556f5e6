import 'reflect-metadata';
import { loadConfig } from '@herald/config';
import { runMain, serviceEnv, startService } from '@herald/runtime';
import { startTelemetry } from '@herald/telemetry';
import { apiService } from './api.service';

runMain(async () => {
  const env = loadConfig(serviceEnv);
  const telemetry = startTelemetry('api');
  const app = await startService(apiService, {
    listen: { port: env.HERALD_HTTP_PORT, host: env.HERALD_HTTP_HOST },
  });
  return async () => {
    await app.close();
    await telemetry.shutdown();
  };
});
