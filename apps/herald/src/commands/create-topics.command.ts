import type { Kafka } from 'kafkajs';
import { heraldTopicSpecs, parseDuration, Topics } from '@herald/contracts';
import { loadConfig } from '@herald/config';
import {
  createKafkaClient,
  ensureTopics,
  kafkaEnv,
  type PartitionShortfall,
  type TopicSpec,
} from '@herald/kafka';
import { replayTopicRetentionDays, retentionEnv, retentionSettingsFromEnv } from '@herald/retention';
import { topicsEnv, type TopicsEnv } from './topics.env';

const DAY_MS = 86_400_000;
/** Herald's own topics the projector rebuilds the delivery log from. */
const LOG_SOURCE_TOPICS: readonly string[] = [Topics.deliveries, Topics.attempts, Topics.operational];

/**
 * The topics to make: HERALD_TOPIC_SPECS exactly when it is set (the Helm chart sizes every topic),
 * otherwise Herald's catalogue with HERALD_TOPIC_PARTITIONS partitions each and built-in retention,
 * raised to `replayRetentionDays` (replayTopicRetentionDays) on the topics a rebuild or backfill reads
 * (the domain topics and the log's source topics), so they keep as long as the delivery log may.
 */
export function resolveTopicSpecs(env: TopicsEnv, replayRetentionDays: number): TopicSpec[] {
  if (env.HERALD_TOPIC_SPECS) return env.HERALD_TOPIC_SPECS;
  const replayRead = new Set([...env.HERALD_DOMAIN_TOPICS, ...LOG_SOURCE_TOPICS]);
  const floorMs = replayRetentionDays * DAY_MS;
  return heraldTopicSpecs({
    retryTierDelaysMs: env.HERALD_RETRY_TIERS.map(parseDuration),
    domainTopics: env.HERALD_DOMAIN_TOPICS,
    partitions: env.HERALD_TOPIC_PARTITIONS,
  }).map((spec) => {
    const config = { ...spec.config };
    const retention = Number(config['retention.ms'] ?? 0);
    if (replayRead.has(spec.topic) && retention >= 0 && retention < floorMs) {
      config['retention.ms'] = String(floorMs);
    }
    return { topic: spec.topic, partitions: spec.partitions, configEntries: config };
  });
}

/**
 * Creates every Herald topic missing from a real cluster. Existing topics are never altered; those
 * with fewer partitions than asked are reported.
 */
export async function createTopicsCommand(
  deps: { env?: NodeJS.ProcessEnv; kafka?: Kafka; out?: (text: string) => void } = {},
): Promise<void> {
  const env = deps.env ?? process.env;
  const out = deps.out ?? ((text: string) => process.stdout.write(text));
  // Every configuration is checked before anything connects.
  const retention = retentionSettingsFromEnv(loadConfig(retentionEnv, env));
  const specs = resolveTopicSpecs(loadConfig(topicsEnv, env), replayTopicRetentionDays(retention));
  const kafka = deps.kafka ?? createKafkaClient(loadConfig(kafkaEnv, env), 'create-topics');
  const shortfalls: PartitionShortfall[] = [];
  const created = new Set(
    await ensureTopics(kafka, specs, { onPartitionShortfall: (shortfall) => shortfalls.push(shortfall) }),
  );
  out(
    `herald: ${created.size} topic(s) created, ${specs.length - created.size} already present\n` +
      specs
        .filter((spec) => created.has(spec.topic))
        .map((spec) => `  + ${spec.topic} (${spec.partitions} partitions)\n`)
        .join('') +
      shortfalls
        .map(
          ({ topic, partitions, wanted }) =>
            `  ! ${topic} has ${partitions} partitions, ${wanted} asked (not changed)\n`,
        )
        .join(''),
  );
}
