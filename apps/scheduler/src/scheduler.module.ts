import { type DynamicModule, Module } from '@nestjs/common';
import { loadConfig } from '@herald/config';
import { ObservabilityModule } from '@herald/telemetry';
import { KafkaModule } from '@herald/kafka';
import { SCHEDULER_ENV, schedulerEnv } from './scheduler.env';
import { RetryTiers } from './retry-tiers';
import { RetryTierConsumer } from './retry-tier.consumer';
import { ForwardedOffsetsRegistry } from './forwarded-offsets.registry';
import { SchedulerMetrics } from './scheduler.metrics';
import { SchedulerClock } from './scheduler.clock';
import { TierLagMonitor } from './tier-lag.monitor';
import { ForwardDueRetriesUseCase } from './usecases/forward-due-retries/forward-due-retries.usecase';

@Module({})
export class SchedulerModule {
  static register(options: { httpEndpoints: boolean }): DynamicModule {
    return {
      module: SchedulerModule,
      imports: [
        ObservabilityModule.forService({ service: 'scheduler', httpEndpoints: options.httpEndpoints }),
        KafkaModule.forService('scheduler'),
      ],
      controllers: [RetryTierConsumer],
      providers: [
        { provide: SCHEDULER_ENV, useFactory: () => loadConfig(schedulerEnv) },
        RetryTiers,
        ForwardedOffsetsRegistry,
        SchedulerMetrics,
        SchedulerClock,
        TierLagMonitor,
        ForwardDueRetriesUseCase,
      ],
    };
  }
}
