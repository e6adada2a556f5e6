export * from './librdkafka.locator';
export * from './mock-kafka-cluster';
export * from './embedded-postgres';
export * from './test-environment';
export * from './webhook-receiver';
export * from './herald-process';
export * from './herald-api.client';
