import 'reflect-metadata';
import { loadConfig } from '@herald/config';
import { runMain, serviceEnv, startService } from '@herald/runtime';
import { apiService } from './api.service';

runMain(async () => {
  const env = loadConfig(serviceEnv);
  const app = await startService(apiService, { listen: { port: env.HERALD_HTTP_PORT, host: env.HERALD_HTTP_HOST } });
  return () => app.close();
});
