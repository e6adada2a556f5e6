import { KafkaBatchTransport, KAFKA_CLIENT, KAFKA_ENV, consumerSettings, type KafkaEnv } from '@herald/kafka';
import type { ServiceDefinition } from '@herald/runtime';
import { RouterModule } from './router.module';
import { Topics } from '@herald/contracts';
import {
  DOMAIN_EVENTS_PATTERN,
  OPERATIONAL_EVENTS_PATTERN,
  ROUTER_ENV,
  ROUTER_GROUP_ID,
  type RouterEnv,
} from './router.env';

export const routerService: ServiceDefinition = {
  name: 'router',
  module: (options) => RouterModule.register(options),
  // Consumption starts after app.init(), by which time the subscription index and dedupe window are loaded.
  transport: (app) => {
    const env = app.get<RouterEnv>(ROUTER_ENV);
    const settings = consumerSettings(app.get<KafkaEnv>(KAFKA_ENV));
    return new KafkaBatchTransport({
      ...settings,
      gathering: env.HERALD_ROUTER_FETCH_GATHER ? settings.gathering : undefined,
      kafka: app.get(KAFKA_CLIENT),
      groupId: ROUTER_GROUP_ID,
      topics: {
        [DOMAIN_EVENTS_PATTERN]: env.HERALD_DOMAIN_TOPICS,
        [OPERATIONAL_EVENTS_PATTERN]: [Topics.operational],
      },
      partitionsConsumedConcurrently: env.HERALD_ROUTER_CONCURRENCY,
      sessionTimeoutMs: env.HERALD_ROUTER_SESSION_TIMEOUT,
    });
  },
};
