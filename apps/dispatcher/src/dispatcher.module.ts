import { type DynamicModule, Module } from '@nestjs/common';
import { ObservabilityModule } from '@herald/telemetry';
import { KafkaModule } from '@herald/kafka';

@Module({})
export class DispatcherModule {
  static register(options: { httpEndpoints: boolean }): DynamicModule {
    return {
      module: DispatcherModule,
      imports: [ObservabilityModule.forService({ service: 'dispatcher', httpEndpoints: options.httpEndpoints }), KafkaModule.forService('dispatcher')],
    };
  }
}
