import type { ServiceDefinition } from '@herald/runtime';
import { SchedulerModule } from './scheduler.module';

export const schedulerService: ServiceDefinition = {
  name: 'scheduler',
  module: (options) => SchedulerModule.register(options),
};
