export * from './kafka.env';
export * from './kafka-client.factory';
export * from './kafka-headers.util';
export * from './herald-producer';
export * from './kafka-batch.transport';
export * from './changelog.reader';
export * from './topic-admin';
export * from './kafka.module';
