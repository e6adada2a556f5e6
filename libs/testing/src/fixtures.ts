/**
 * Pure test data: `import { sampleEndpointSnapshot } from '@herald/testing/fixtures'` loads no native
 * module (koffi), no Kafka or Postgres client, and starts nothing. `@herald/testing` re-exports it.
 */
export * from './sample-endpoint';
export * from './sample-events';
export * from './sample-delivery';
