import type { Kafka } from 'kafkajs';
import { KAFKA_CLIENT, KAFKA_ENV, KafkaBatchTransport, type KafkaEnv } from '@herald/kafka';
import type { ServiceDefinition } from '@herald/runtime';
import { ApiModule } from './api.module';
import { configureApiHttp } from './api.http';

/** Consumer group of the API's one Kafka consumer: endpoint commands (auto-disable) it applies. */
export const API_GROUP_ID = 'herald-api';

export const apiService: ServiceDefinition = {
  name: 'api',
  module: (options) => ApiModule.register(options),
  configureHttp: configureApiHttp,
  transport: (app) =>
    new KafkaBatchTransport({
      kafka: app.get<Kafka>(KAFKA_CLIENT),
      groupId: API_GROUP_ID,
      commitIntervalMs: app.get<KafkaEnv>(KAFKA_ENV).KAFKA_COMMIT_INTERVAL,
      // Commands are applied by compare-and-set, so reading one again is harmless.
      fromBeginning: true,
      partitionsConsumedConcurrently: 2,
    }),
};
