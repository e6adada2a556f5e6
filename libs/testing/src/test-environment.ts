import { DEFAULT_DOMAIN_TOPICS, heraldTopicSpecs, parseDuration } from '@herald/contracts';
import { KafkaCluster } from './kafka/kafka-cluster';
import { anyTestFailed, currentTestFileName } from './test-outcome';
import type { RunningPostgres } from './embedded-postgres';
import { startTestDatabase } from './test-database';

/** Tier delays tests use: milliseconds, so retry mechanics run in a test's time. */
export const FAST_RETRY_TIERS = ['200ms', '500ms', '1s', '2s'];

export interface TestEnvironment {
  kafkaBrokers: string[];
  databaseUrl: string;
  /** Present only on the cluster the harness started: node kill, pause, restart and proxies. */
  cluster?: KafkaCluster;
  /** Present only on embedded Postgres: pause/restart. */
  postgres?: RunningPostgres;
  /** Environment for a Herald process attached to this environment. */
  heraldEnv(extra?: Record<string, string>): Record<string, string>;
  stop(): Promise<void>;
}

export interface TestEnvironmentOptions {
  /** Kafka nodes the harness starts: 1 (default) or 3 (replication factor 3, min.insync.replicas 2). */
  kafkaNodes?: number;
  /** A TCP proxy in front of each broker, for network faults. */
  proxied?: boolean;
  partitions?: number;
  retryTiers?: string[];
  withPostgres?: boolean;
}

/**
 * Kafka and Postgres for one test file: an Apache Kafka cluster and an embedded Postgres started here,
 * or the existing ones named by KAFKA_BROKERS
 * and DATABASE_URL (a fresh database is created on the real server so files never share state).
 */
export async function startTestEnvironment(options: TestEnvironmentOptions = {}): Promise<TestEnvironment> {
  const tiers = options.retryTiers ?? FAST_RETRY_TIERS;
  let cluster: KafkaCluster | undefined;
  let kafkaBrokers: string[];
  if (process.env.KAFKA_BROKERS) {
    kafkaBrokers = process.env.KAFKA_BROKERS.split(',');
  } else {
    cluster = await KafkaCluster.start({
      nodes: options.kafkaNodes ?? 1,
      proxied: options.proxied,
      label: currentTestFileName(),
    });
    await cluster.createTopics(
      heraldTopicSpecs({
        retryTierDelaysMs: tiers.map(parseDuration),
        domainTopics: DEFAULT_DOMAIN_TOPICS,
        partitions: options.partitions ?? 4,
      }).map((spec) => ({ topic: spec.topic, partitions: spec.partitions, configEntries: spec.config })),
    );
    kafkaBrokers = cluster.brokers;
  }

  const database = options.withPostgres !== false ? await startTestDatabase() : undefined;
  const databaseUrl = database?.databaseUrl ?? '';
  const postgres = database?.postgres;

  return {
    kafkaBrokers,
    databaseUrl,
    cluster,
    postgres,
    heraldEnv: (extra = {}) => ({
      KAFKA_BROKERS: kafkaBrokers.join(','),
      DATABASE_URL: databaseUrl,
      HERALD_MODE: 'development',
      HERALD_RETRY_TIERS: tiers.join(','),
      HERALD_RETRY_SCHEDULE: tiers.join(','),
      HERALD_ADMIN_TOKEN: 'test-admin-token',
      HERALD_MASTER_KEY: Buffer.alloc(32, 7).toString('base64'),
      LOG_LEVEL: 'warn',
      // Tests stop brokers on purpose; stalled consumers are restarted sooner than in production.
      KAFKA_STALL_TIMEOUT_MS: '8000',
      KAFKA_STALL_CHECK_INTERVAL_MS: '1000',
      ...extra,
    }),
    async stop() {
      await database?.stop();
      await cluster?.stop({ keepLogs: anyTestFailed() });
    },
  };
}
