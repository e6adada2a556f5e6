import type { Kafka } from 'kafkajs';
import { loadConfig } from '@herald/config';
import { KAFKA_CLIENT, KafkaBatchTransport, KAFKA_ENV, type KafkaEnv } from '@herald/kafka';
import type { ServiceDefinition } from '@herald/runtime';
import { projectorEnv } from './projector.env';
import { PROJECTION_PATTERN } from './projector.controller';
import { ProjectorModule } from './projector.module';
import { PROJECTED_TOPICS } from './projector.topics';

export const projectorService: ServiceDefinition = {
  name: 'projector',
  module: (options) => ProjectorModule.register(options),
  transport: (app) => {
    const env = loadConfig(projectorEnv);
    const kafkaEnv = app.get<KafkaEnv>(KAFKA_ENV);
    return new KafkaBatchTransport({
      minBytes: env.HERALD_PROJECTOR_FETCH_MIN_BYTES,
      maxWaitTimeInMs: env.HERALD_PROJECTOR_FETCH_MAX_WAIT,
      commitIntervalMs: kafkaEnv.KAFKA_COMMIT_INTERVAL,
      kafka: app.get<Kafka>(KAFKA_CLIENT),
      groupId: env.HERALD_PROJECTOR_GROUP,
      topics: { [PROJECTION_PATTERN]: PROJECTED_TOPICS },
      fromBeginning: true,
      partitionsConsumedConcurrently: env.HERALD_PROJECTOR_CONCURRENCY,
    });
  },
};
