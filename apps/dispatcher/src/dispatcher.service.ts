import type { Kafka } from 'kafkajs';
import { Topics } from '@herald/contracts';
import { KAFKA_CLIENT, KafkaBatchTransport, KAFKA_ENV, consumerSettings, type KafkaEnv } from '@herald/kafka';
import type { ServiceDefinition } from '@herald/runtime';
import { DISPATCHER_ENV, DISPATCHER_GROUP_ID, type DispatcherEnv } from './dispatcher.env';
import { DispatcherModule } from './dispatcher.module';

export const dispatcherService: ServiceDefinition = {
  name: 'dispatcher',
  module: (options) => DispatcherModule.register(options),
  // Consumption starts after app.init(), by which time the endpoint directory is loaded.
  transport: (app) => {
    const env = app.get<DispatcherEnv>(DISPATCHER_ENV);
    return new KafkaBatchTransport({
      ...consumerSettings(app.get<KafkaEnv>(KAFKA_ENV)),
      kafka: app.get<Kafka>(KAFKA_CLIENT),
      groupId: DISPATCHER_GROUP_ID,
      topics: { [Topics.deliveries]: [Topics.deliveries] },
      partitionsConsumedConcurrently: env.HERALD_DISPATCHER_PARTITIONS_CONCURRENTLY,
    });
  },
};
