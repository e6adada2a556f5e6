import { type DynamicModule, Module } from '@nestjs/common';
import { loadConfig } from '@herald/config';
import { EventValidator } from '@herald/contracts';
import { KafkaModule } from '@herald/kafka';
import { SubscriptionIndex } from '@herald/matching';
import { ObservabilityModule } from '@herald/telemetry';
import { DedupeLog } from './dedupe/dedupe-log';
import { DedupeWindow } from './dedupe/dedupe-window';
import { MarkerTrail } from './dedupe/marker-trail';
import { DomainEventsController } from './domain-events.controller';
import { ROUTER_ENV, routerEnv, type RouterEnv } from './router.env';
import { SubscriptionFeed } from './subscriptions/subscription-feed';
import { RouteDomainEventsUseCase } from './usecases/route-domain-events/route-domain-events.usecase';

@Module({})
export class RouterModule {
  static register(options: { httpEndpoints: boolean }): DynamicModule {
    return {
      module: RouterModule,
      imports: [
        ObservabilityModule.forService({ service: 'router', httpEndpoints: options.httpEndpoints }),
        KafkaModule.forService('router'),
      ],
      controllers: [DomainEventsController],
      providers: [
        { provide: ROUTER_ENV, useFactory: () => loadConfig(routerEnv) },
        { provide: EventValidator, useFactory: () => new EventValidator() },
        { provide: SubscriptionIndex, useFactory: () => new SubscriptionIndex() },
        {
          provide: DedupeWindow,
          inject: [ROUTER_ENV],
          useFactory: (env: RouterEnv) =>
            new DedupeWindow(env.HERALD_DEDUPE_WINDOW, env.HERALD_DEDUPE_MAX_ENTRIES),
        },
        SubscriptionFeed,
        DedupeLog,
        MarkerTrail,
        RouteDomainEventsUseCase,
      ],
    };
  }
}
