import type { ServiceDefinition } from '@herald/runtime';
import { ApiModule } from './api.module';

export const apiService: ServiceDefinition = {
  name: 'api',
  module: (options) => ApiModule.register(options),
};
