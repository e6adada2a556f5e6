import type { KafkaCluster } from '@herald/testing';
import { verbose } from './event-load';
import type { KafkaInspection } from './kafka-inspection';

/** One fault action, due `at` ms after the load started. */
export interface FaultStep {
  at: number;
  label: string;
  action: () => void | Promise<void>;
}

/** When each step of a plan ran, relative to its start: part of the scenario's report. */
export type FaultTimeline = Record<string, number>;

/**
 * Runs the steps one after another, each no earlier than its due time, alongside the load (a step
 * that takes long, such as a restart, delays the later steps, never the load).
 */
export async function runFaultPlan(steps: FaultStep[]): Promise<FaultTimeline> {
  const started = Date.now();
  const timeline: FaultTimeline = {};
  for (const step of steps) {
    const wait = started + step.at - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    timeline[step.label] = Date.now() - started;
    verbose(`fault step ${step.label} at ${timeline[step.label]} ms`);
    await step.action();
    timeline[`${step.label} done`] = Date.now() - started;
  }
  return timeline;
}

/** The node leading most partitions of `topic`. */
export async function busiestLeader(cluster: KafkaCluster, topic: string): Promise<number> {
  const counts = [...(await cluster.leaderCounts(topic))].filter(([id]) => id >= 0);
  counts.sort((a, b) => b[1] - a[1]);
  return counts[0][0];
}

/**
 * Waits until every node serves and every partition has all its replicas in sync, so a scenario
 * starts from a healthy cluster and not from the previous one's aftermath.
 */
export async function clusterHealthy(
  cluster: KafkaCluster,
  inspect: KafkaInspection,
  timeoutMs = 180_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  await cluster.waitForBrokers(
    cluster.nodes.map((node) => node.id),
    timeoutMs,
  );
  let lagging: string[] = [];
  while (Date.now() < deadline) {
    lagging = await inspect.underReplicated().catch((error: Error) => [error.message]);
    if (lagging.length === 0) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(
    `partitions still under-replicated after ${timeoutMs} ms: ${lagging.slice(0, 10).join(', ')}`,
  );
}
