import type { Kafka } from 'kafkajs';
import type { ServiceDefinition } from '@herald/runtime';
import { KAFKA_CLIENT, KafkaBatchTransport } from '@herald/kafka';
import { SchedulerModule } from './scheduler.module';
import { SCHEDULER_ENV, type SchedulerEnv } from './scheduler.env';
import { SCHEDULER_GROUP_ID } from './scheduler.constants';
import { RetryTiers } from './retry-tiers';
import { RETRY_TIERS_PATTERN } from './retry-tier.consumer';

export const schedulerService: ServiceDefinition = {
  name: 'scheduler',
  module: (options) => SchedulerModule.register(options),
  transport: (app) => {
    const env = app.get<SchedulerEnv>(SCHEDULER_ENV);
    return new KafkaBatchTransport({
      kafka: app.get<Kafka>(KAFKA_CLIENT),
      groupId: SCHEDULER_GROUP_ID,
      topics: { [RETRY_TIERS_PATTERN]: app.get(RetryTiers).topics },
      partitionsConsumedConcurrently: env.HERALD_SCHEDULER_CONCURRENCY,
      maxBytesPerPartition: env.HERALD_SCHEDULER_LOOKAHEAD_BYTES,
      sessionTimeoutMs: env.HERALD_SCHEDULER_SESSION_TIMEOUT,
    });
  },
};
