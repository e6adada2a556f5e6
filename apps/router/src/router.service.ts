import type { ServiceDefinition } from '@herald/runtime';
import { RouterModule } from './router.module';

export const routerService: ServiceDefinition = {
  name: 'router',
  module: (options) => RouterModule.register(options),
};
