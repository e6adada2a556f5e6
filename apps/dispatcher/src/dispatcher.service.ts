import type { ServiceDefinition } from '@herald/runtime';
import { DispatcherModule } from './dispatcher.module';

export const dispatcherService: ServiceDefinition = {
  name: 'dispatcher',
  module: (options) => DispatcherModule.register(options),
};
