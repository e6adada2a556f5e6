import { type DynamicModule, Module } from '@nestjs/common';
import { ObservabilityModule } from '@herald/telemetry';
import { KafkaModule } from '@herald/kafka';

@Module({})
export class ApiModule {
  static register(options: { httpEndpoints: boolean }): DynamicModule {
    return {
      module: ApiModule,
      imports: [ObservabilityModule.forService({ service: 'api', httpEndpoints: options.httpEndpoints }), KafkaModule.forService('api')],
    };
  }
}
