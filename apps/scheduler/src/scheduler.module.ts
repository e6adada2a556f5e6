import { type DynamicModule, Module } from '@nestjs/common';
import { ObservabilityModule } from '@herald/telemetry';
import { KafkaModule } from '@herald/kafka';

@Module({})
export class SchedulerModule {
  static register(options: { httpEndpoints: boolean }): DynamicModule {
    return {
      module: SchedulerModule,
      imports: [ObservabilityModule.forService({ service: 'scheduler', httpEndpoints: options.httpEndpoints }), KafkaModule.forService('scheduler')],
    };
  }
}
