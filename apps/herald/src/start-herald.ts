import type { INestApplication } from '@nestjs/common';
import { startService, type ServiceDefinition, type ServiceName } from '@herald/runtime';
import { apiService } from '../../api/src/api.service';
import { routerService } from '../../router/src/router.service';
import { dispatcherService } from '../../dispatcher/src/dispatcher.service';
import { schedulerService } from '../../scheduler/src/scheduler.service';
import { projectorService } from '../../projector/src/projector.service';

const DEFINITIONS: Record<ServiceName, ServiceDefinition> = {
  api: apiService,
  router: routerService,
  dispatcher: dispatcherService,
  scheduler: schedulerService,
  projector: projectorService,
};

/**
 * Runs several services in one process. Workers start first (their consumers have joined their groups
 * when this resolves); the HTTP listener comes last, so a ready /health/ready means the whole pipeline
 * is live. Without the API, the first worker serves health and metrics.
 */
export async function startHerald(
  services: readonly ServiceName[],
  listen: { port: number; host: string },
): Promise<() => Promise<void>> {
  const apps: INestApplication[] = [];
  const workers = services.filter((name) => name !== 'api');
  const httpOwner: ServiceName = services.includes('api') ? 'api' : workers[0];
  try {
    for (const name of workers) {
      apps.push(await startService(DEFINITIONS[name], { listen: name === httpOwner ? listen : false }));
    }
    if (services.includes('api')) apps.push(await startService(DEFINITIONS.api, { listen }));
  } catch (error) {
    await Promise.allSettled(apps.map((app) => app.close()));
    throw error;
  }
  // The API stops taking requests first; workers then finish their in-flight batches.
  return async () => {
    for (const app of apps.reverse()) await app.close();
  };
}
