import type { ServiceDefinition } from '@herald/runtime';
import { ProjectorModule } from './projector.module';

export const projectorService: ServiceDefinition = {
  name: 'projector',
  module: (options) => ProjectorModule.register(options),
};
