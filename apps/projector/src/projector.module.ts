import { type DynamicModule, Module } from '@nestjs/common';
import { ObservabilityModule } from '@herald/telemetry';
import { KafkaModule } from '@herald/kafka';

@Module({})
export class ProjectorModule {
  static register(options: { httpEndpoints: boolean }): DynamicModule {
    return {
      module: ProjectorModule,
      imports: [ObservabilityModule.forService({ service: 'projector', httpEndpoints: options.httpEndpoints }), KafkaModule.forService('projector')],
    };
  }
}
