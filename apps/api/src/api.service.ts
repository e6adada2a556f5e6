import type { ServiceDefinition } from '@herald/runtime';
import { ApiModule } from './api.module';
import { configureApiHttp } from './api.http';

export const apiService: ServiceDefinition = {
  name: 'api',
  module: (options) => ApiModule.register(options),
  configureHttp: configureApiHttp,
};
