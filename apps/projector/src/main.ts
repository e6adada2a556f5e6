import 'reflect-metadata';
import { loadConfig } from '@herald/config';
import { runMain, serviceEnv, startService } from '@herald/runtime';
import { startTelemetry } from '@herald/telemetry';
import { projectorService } from './projector.service';

runMain(async () => {
  const env = loadConfig(serviceEnv);
  const telemetry = startTelemetry('projector');
  const app = await startService(projectorService, {
    listen: { port: env.HERALD_HTTP_PORT, host: env.HERALD_HTTP_HOST },
  });
  return async () => {
    await app.close();
    await telemetry.shutdown();
  };
});
