import type { Kafka } from 'kafkajs';
import { heraldTopicSpecs, parseDuration } from '@herald/contracts';
import { loadConfig } from '@herald/config';
import {
  createKafkaClient,
  ensureTopics,
  kafkaEnv,
  type PartitionShortfall,
  type TopicSpec,
} from '@herald/kafka';
import { topicsEnv, type TopicsEnv } from './topics.env';

/**
 * The topics to make: HERALD_TOPIC_SPECS exactly when it is set (the Helm chart sizes every topic),
 * otherwise Herald's catalogue with HERALD_TOPIC_PARTITIONS partitions each and built-in retention.
 */
export function resolveTopicSpecs(env: TopicsEnv): TopicSpec[] {
  if (env.HERALD_TOPIC_SPECS) return env.HERALD_TOPIC_SPECS;
  return heraldTopicSpecs({
    retryTierDelaysMs: env.HERALD_RETRY_TIERS.map(parseDuration),
    domainTopics: env.HERALD_DOMAIN_TOPICS,
    partitions: env.HERALD_TOPIC_PARTITIONS,
  }).map((spec) => ({ topic: spec.topic, partitions: spec.partitions, configEntries: spec.config }));
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
  // Both configurations are checked before anything connects.
  const specs = resolveTopicSpecs(loadConfig(topicsEnv, env));
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
