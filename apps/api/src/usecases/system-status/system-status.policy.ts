import type { ClusterSnapshot, TopicWatermarks } from '@herald/kafka';

/** Herald's consumer groups, by the service that runs them (each app defines its own group id). */
export const HERALD_CONSUMER_GROUPS: readonly { service: string; group: string }[] = [
  { service: 'router', group: 'herald-router' },
  { service: 'dispatcher', group: 'herald-dispatcher' },
  { service: 'scheduler', group: 'herald-scheduler' },
  { service: 'projector', group: 'herald-projector' },
  // The API's own consumer (auto-disable commands); the HTTP API is the `api` service.
  { service: 'api-commands', group: 'herald-api' },
];

export type ServiceStatus = 'up' | 'down' | 'unknown';

export interface SystemView {
  services: { name: string; status: ServiceStatus; detail?: string }[];
  topics: { topic: string; group: string; lag: number }[];
  deadLetters: { topic: string; count: number }[];
}

export interface SystemInput {
  postgres: { ok: true } | { ok: false; error: string };
  kafka: { ok: true; snapshot: ClusterSnapshot } | { ok: false; error: string };
  groups: readonly { service: string; group: string }[];
  deadLetterTopics: readonly string[];
}

const REBALANCING = new Set(['PreparingRebalance', 'CompletingRebalance']);

/**
 * The operator's system view. The API answers, so it is up; Postgres and Kafka are up when they
 * answered. A consumer group with members is up (rebalancing says so), without members down, and
 * unknown when Kafka could not be asked. Lag per (group, topic) sums, over the topic's partitions, the
 * records past the group's committed offset (past the low watermark where it committed none); a
 * dead-letter topic counts the records it still holds (high minus low watermark). Without Kafka, lag
 * and dead letters are unknown, so both lists are empty.
 */
export function toSystemView(input: SystemInput): SystemView {
  const services: SystemView['services'] = [{ name: 'api', status: 'up' }];
  services.push(
    input.postgres.ok
      ? { name: 'postgres', status: 'up' }
      : { name: 'postgres', status: 'down', detail: input.postgres.error },
  );
  if (!input.kafka.ok) {
    services.push({ name: 'kafka', status: 'down', detail: input.kafka.error });
    for (const { service, group } of input.groups) {
      services.push({
        name: service,
        status: 'unknown',
        detail: `consumer group ${group}: Kafka did not answer`,
      });
    }
    return {
      services,
      topics: [],
      deadLetters: [],
    };
  }
  const { snapshot } = input.kafka;
  services.push({ name: 'kafka', status: 'up', detail: `${snapshot.brokers} broker(s)` });
  const watermarks = new Map(snapshot.watermarks.map((w) => [w.topic, w]));
  const topics: SystemView['topics'] = [];
  for (const { service, group } of input.groups) {
    const found = snapshot.groups.find((g) => g.group === group);
    const members = found?.members ?? 0;
    if (members === 0) {
      const state = found ? ` (${found.state})` : '';
      services.push({
        name: service,
        status: 'down',
        detail: `consumer group ${group} has no members${state}`,
      });
    } else {
      const rebalancing = found && REBALANCING.has(found.state) ? ', rebalancing' : '';
      services.push({ name: service, status: 'up', detail: `${members} member(s)${rebalancing}` });
    }
    const committedTopics = [...new Set((found?.committed ?? []).map((c) => c.topic))].sort();
    for (const topic of committedTopics) {
      const marks = watermarks.get(topic);
      if (!marks) continue;
      topics.push({ topic, group, lag: lagOf(marks, found?.committed ?? []) });
    }
  }
  const deadLetters = input.deadLetterTopics.map((topic) => ({
    topic,
    count: (watermarks.get(topic)?.partitions ?? []).reduce((sum, p) => sum + Math.max(0, p.high - p.low), 0),
  }));
  return { services, topics, deadLetters };
}

function lagOf(
  marks: TopicWatermarks,
  committed: { topic: string; partition: number; offset: number }[],
): number {
  return marks.partitions.reduce((sum, p) => {
    const offset =
      committed.find((c) => c.topic === marks.topic && c.partition === p.partition)?.offset ?? -1;
    const from = offset >= 0 ? Math.max(offset, p.low) : p.low;
    return sum + Math.max(0, p.high - from);
  }, 0);
}
