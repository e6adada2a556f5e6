import { DAY_MS, type RetentionSettings } from './retention.policy';

/**
 * Days the topics a rebuild or replay reads (domain events, herald.deliveries, herald.attempts,
 * herald.operational) must keep records: as long as any workspace may keep its delivery log, so
 * the log can be rebuilt from them, i.e. the records retention or the override maximum if longer.
 * create-topics and the Helm chart raise those topics' retention.ms to this.
 */
export function replayTopicRetentionDays(
  settings: Pick<RetentionSettings, 'recordsDays' | 'maxDays'>,
): number {
  return Math.max(settings.recordsDays, settings.maxDays);
}

export interface ReplaySinceProblem {
  code: 'SINCE_BEYOND_TOPIC_RETENTION';
  message: string;
  /** The oldest `since` accepted now. */
  oldest: Date;
}

/**
 * A backfill replays the domain topics from `since`; older than their retention, the records asked
 * for are gone already and the job would quietly send less than asked. Undefined when acceptable.
 */
export function checkReplaySince(
  since: Date,
  now: Date,
  topicRetentionDays: number,
): ReplaySinceProblem | undefined {
  const oldest = new Date(now.getTime() - topicRetentionDays * DAY_MS);
  if (since.getTime() >= oldest.getTime()) return undefined;
  return {
    code: 'SINCE_BEYOND_TOPIC_RETENTION',
    oldest,
    message: `since is older than the domain topics keep events (${topicRetentionDays} days): the oldest accepted now is ${oldest.toISOString()}`,
  };
}
