import { type DynamicModule, Module } from '@nestjs/common';
import { ObservabilityModule } from '@herald/telemetry';
import { KafkaModule } from '@herald/kafka';

@Module({})
export class RouterModule {
  static register(options: { httpEndpoints: boolean }): DynamicModule {
    return {
      module: RouterModule,
      imports: [ObservabilityModule.forService({ service: 'router', httpEndpoints: options.httpEndpoints }), KafkaModule.forService('router')],
    };
  }
}
