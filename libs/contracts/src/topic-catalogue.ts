import { COMPACTED_TOPICS, Topics, retryTierTopic } from './topics';
import { formatDuration } from './duration';

export interface HeraldTopicSpec {
  topic: string;
  partitions: number;
  /** Kafka topic configs, e.g. cleanup.policy and retention.ms. */
  config: Record<string, string>;
}

const WEEK_MS = 7 * 86_400_000;

/**
 * Every topic Herald needs. Tier topics keep records well beyond their delay, so a record waiting
 * out its backoff is never deleted first.
 */
export function heraldTopicSpecs(options: {
  retryTierDelaysMs: readonly number[];
  domainTopics: readonly string[];
  partitions?: number;
}): HeraldTopicSpec[] {
  const partitions = options.partitions ?? 8;
  const own = Object.values(Topics).map((topic): HeraldTopicSpec => ({
    topic,
    partitions,
    config: COMPACTED_TOPICS.includes(topic)
      ? { 'cleanup.policy': 'compact' }
      : { 'cleanup.policy': 'delete', 'retention.ms': String(WEEK_MS) },
  }));
  const tiers = [...new Set(options.retryTierDelaysMs)].map((delay) => ({
    topic: retryTierTopic(formatDuration(delay)),
    partitions,
    config: { 'cleanup.policy': 'delete', 'retention.ms': String(Math.max(WEEK_MS, delay * 4)) },
  }));
  const domain = options.domainTopics.map((topic) => ({
    topic,
    partitions,
    config: { 'cleanup.policy': 'delete', 'retention.ms': String(WEEK_MS) },
  }));
  return [...own, ...tiers, ...domain];
}
