import { type DynamicModule, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import { loadConfig } from '@herald/config';
import { ReadinessRegistry } from '@herald/telemetry';
import { kafkaEnv, type KafkaEnv } from './kafka.env';
import { createKafkaClient } from './kafka-client.factory';
import { HeraldProducer } from './herald-producer';

export const KAFKA_CLIENT = Symbol('KAFKA_CLIENT');
export const KAFKA_ENV = Symbol('KAFKA_ENV');

class ProducerLifecycle implements OnApplicationShutdown {
  constructor(@Inject(HeraldProducer) private readonly producer: HeraldProducer) {}
  async onApplicationShutdown(): Promise<void> {
    await this.producer.disconnect();
  }
}

/** One kafkajs client and producer per service, with a readiness check. */
@Module({})
export class KafkaModule {
  static forService(service: string): DynamicModule {
    return {
      module: KafkaModule,
      providers: [
        { provide: KAFKA_ENV, useFactory: () => loadConfig(kafkaEnv) },
        {
          provide: KAFKA_CLIENT,
          inject: [KAFKA_ENV],
          useFactory: (env: KafkaEnv) => createKafkaClient(env, service),
        },
        {
          provide: HeraldProducer,
          inject: [KAFKA_CLIENT, ReadinessRegistry, KAFKA_ENV],
          useFactory: async (kafka: Kafka, readiness: ReadinessRegistry, env: KafkaEnv) => {
            const producer = new HeraldProducer(kafka, { timeoutMs: env.KAFKA_PRODUCE_TIMEOUT });
            readiness.register('kafka', async () => {
              const admin = kafka.admin();
              await admin.connect();
              try {
                await admin.describeCluster();
              } finally {
                await admin.disconnect();
              }
            });
            return producer;
          },
        },
        ProducerLifecycle,
      ],
      exports: [KAFKA_ENV, KAFKA_CLIENT, HeraldProducer],
    };
  }
}
