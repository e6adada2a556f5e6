import { heraldTopicSpecs, parseDuration } from '@herald/contracts';
import { loadConfig } from '@herald/config';
import { createKafkaClient, ensureTopics, kafkaEnv } from '@herald/kafka';
import { topicsEnv } from './topics.env';

/** Creates every Herald topic missing from a real cluster; existing topics are left untouched. */
export async function createTopicsCommand(): Promise<void> {
  const env = loadConfig(topicsEnv);
  const kafka = createKafkaClient(loadConfig(kafkaEnv), 'create-topics');
  const specs = heraldTopicSpecs({
    retryTierDelaysMs: env.HERALD_RETRY_TIERS.map(parseDuration),
    domainTopics: env.HERALD_DOMAIN_TOPICS,
    partitions: env.HERALD_TOPIC_PARTITIONS,
  });
  const created = await ensureTopics(
    kafka,
    specs.map((spec) => ({ topic: spec.topic, partitions: spec.partitions, configEntries: spec.config })),
  );
  process.stdout.write(
    `herald: ${created.length} topic(s) created, ${specs.length - created.length} already present\n` +
      created.map((topic) => `  + ${topic}\n`).join(''),
  );
}
