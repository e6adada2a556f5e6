import { ConfigResourceTypes, type Admin } from 'kafkajs';
import { Client } from 'pg';
import { DEFAULT_DOMAIN_TOPICS } from '@herald/contracts';
import { loadConfig } from '@herald/config';
import { createKafkaClient, kafkaEnv } from '@herald/kafka';
import { MIGRATIONS } from '@herald/persistence';
import { describeFailure } from '../output/exit-codes';
import {
  expectedTopics,
  fail,
  healthFindings,
  lagFindings,
  migrationFindings,
  ok,
  topicFindings,
  type Finding,
  type GroupLag,
  type ReadinessBody,
} from './doctor-findings';

/** create-topics' own default tiers (apps/herald/src/commands/topics.env.ts), when HERALD_RETRY_TIERS is unset. */
const DEFAULT_RETRY_TIERS = ['5s', '1m', '5m', '30m', '2h', '5h', '10h', '24h'];
/** The services' consumer groups (each app's *.env.ts or service file). */
export const HERALD_GROUPS = [
  'herald-router',
  'herald-dispatcher',
  'herald-scheduler',
  'herald-projector',
  'herald-api',
];

export interface DoctorOptions {
  brokers?: string[];
  databaseUrl?: string;
  serviceUrls: string[];
  adminToken?: string;
  maxLag: number;
  timeoutMs: number;
  env: Record<string, string | undefined>;
}

const list = (text: string | undefined, fallback: readonly string[]) =>
  text?.trim()
    ? text
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean)
    : [...fallback];

function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export async function kafkaFindings(options: DoctorOptions): Promise<Finding[]> {
  if (!options.brokers) {
    return [fail('kafka', 'no brokers configured', 'pass --brokers, set KAFKA_BROKERS or run npm run dev')];
  }
  const env = loadConfig(kafkaEnv, { ...options.env, KAFKA_BROKERS: options.brokers.join(',') });
  const admin = createKafkaClient(env, 'cli-doctor', { retries: 1 }).admin();
  try {
    const cluster = await withTimeout(
      admin.connect().then(() => admin.describeCluster()),
      options.timeoutMs,
      `Kafka at ${options.brokers.join(',')}`,
    );
    const findings: Finding[] = [
      ok(
        'kafka',
        `reachable at ${options.brokers.join(',')} (${cluster.brokers.length} broker(s), controller ${cluster.controller ?? '?'})`,
      ),
    ];
    findings.push(...(await topicChecks(admin, options)));
    findings.push(...lagFindings(await groupLags(admin), options.maxLag));
    return findings;
  } catch (error) {
    return [
      fail(
        'kafka',
        `not reachable at ${options.brokers.join(',')}: ${describeFailure(error).message}`,
        'check KAFKA_BROKERS (and KAFKA_SSL/KAFKA_SASL_*) and that the brokers run',
      ),
    ];
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

async function topicChecks(admin: Admin, options: DoctorOptions): Promise<Finding[]> {
  const expected = expectedTopics({
    retryTiers: list(options.env.HERALD_RETRY_TIERS, DEFAULT_RETRY_TIERS),
    domainTopics: list(options.env.HERALD_DOMAIN_TOPICS, DEFAULT_DOMAIN_TOPICS),
  });
  const existing = new Set(await admin.listTopics());
  const present = expected.map((spec) => spec.topic).filter((topic) => existing.has(topic));
  const actual = new Map<string, { partitions: number; cleanupPolicy?: string }>();
  if (present.length > 0) {
    const metadata = await admin.fetchTopicMetadata({ topics: present });
    for (const topic of metadata.topics) actual.set(topic.name, { partitions: topic.partitions.length });
    const configs = await admin.describeConfigs({
      includeSynonyms: false,
      resources: present.map((name) => ({
        type: ConfigResourceTypes.TOPIC,
        name,
        configNames: ['cleanup.policy'],
      })),
    });
    for (const resource of configs.resources) {
      const entry = resource.configEntries.find((config) => config.configName === 'cleanup.policy');
      const known = actual.get(resource.resourceName);
      if (known && entry) known.cleanupPolicy = entry.configValue;
    }
  }
  return topicFindings(expected, actual);
}

async function groupLags(admin: Admin): Promise<GroupLag[]> {
  const { groups } = await admin.describeGroups(HERALD_GROUPS);
  const ends = new Map<string, Map<number, bigint>>();
  const endOf = async (topic: string) => {
    let byPartition = ends.get(topic);
    if (!byPartition) {
      byPartition = new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, BigInt(p.high)]));
      ends.set(topic, byPartition);
    }
    return byPartition;
  };
  const lags: GroupLag[] = [];
  for (const groupId of HERALD_GROUPS) {
    const state = groups.find((group) => group.groupId === groupId)?.state ?? 'Dead';
    const lagByTopic: Record<string, number> = {};
    for (const { topic, partitions } of await admin.fetchOffsets({ groupId })) {
      const high = await endOf(topic);
      let lag = 0n;
      for (const { partition, offset } of partitions) {
        const end = high.get(partition) ?? 0n;
        const committed = BigInt(offset) < 0n ? 0n : BigInt(offset);
        if (end > committed) lag += end - committed;
      }
      lagByTopic[topic] = Number(lag);
    }
    lags.push({ groupId, state, lagByTopic });
  }
  return lags;
}

export async function postgresFindings(options: DoctorOptions): Promise<Finding[]> {
  if (!options.databaseUrl) {
    return [
      fail('postgres', 'no database configured', 'pass --database-url, set DATABASE_URL or run npm run dev'),
    ];
  }
  const client = new Client({
    connectionString: options.databaseUrl,
    connectionTimeoutMillis: options.timeoutMs,
  });
  const where = new URL(options.databaseUrl);
  const target = `${where.hostname}:${where.port || 5432}${where.pathname}`;
  try {
    await client.connect();
    const exists = await client.query<{ present: boolean }>(
      `SELECT to_regclass('herald_migrations') IS NOT NULL AS present`,
    );
    const applied = exists.rows[0]?.present
      ? (await client.query<{ name: string }>('SELECT name FROM herald_migrations')).rows.map(
          (row) => row.name,
        )
      : [];
    const known = MIGRATIONS.map((migration) => new migration().name ?? migration.name);
    return [ok('postgres', `reachable at ${target}`), ...migrationFindings(applied, known)];
  } catch (error) {
    return [
      fail(
        'postgres',
        `not reachable at ${target}: ${describeFailure(error).message}`,
        'check DATABASE_URL and that Postgres runs',
      ),
    ];
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function serviceFindings(options: DoctorOptions): Promise<Finding[]> {
  if (options.serviceUrls.length === 0) {
    return [
      fail('health', 'no service URL configured', 'pass --api-url or --service <url>, or run npm run dev'),
    ];
  }
  const findings: Finding[] = [];
  for (const url of options.serviceUrls) {
    try {
      const response = await fetch(`${url}/health/ready`, {
        headers: options.adminToken ? { authorization: `Bearer ${options.adminToken}` } : {},
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      const body = (await response.json().catch(() => undefined)) as ReadinessBody | undefined;
      findings.push(...healthFindings(url, response.status, body));
    } catch (error) {
      findings.push(
        fail(`health ${url}`, `not reachable: ${causeOf(error)}`, 'start the service, or check the URL'),
      );
    }
  }
  return findings;
}

/** fetch says only "fetch failed"; the cause names what happened (ECONNREFUSED, ENOTFOUND, ...). */
function causeOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? describeFailure(error).message;
}
