import 'reflect-metadata';
import { loadConfig } from '@herald/config';
import { runMain, serviceEnv, startService } from '@herald/runtime';
import { startTelemetry } from '@herald/telemetry';
import { dispatcherService } from './dispatcher.service';

runMain(async () => {
  const env = loadConfig(serviceEnv);
  const telemetry = startTelemetry('dispatcher');
  const app = await startService(dispatcherService, {
    listen: { port: env.HERALD_HTTP_PORT, host: env.HERALD_HTTP_HOST },
  });
  return async () => {
    await app.close();
    await telemetry.shutdown();
  };
});
