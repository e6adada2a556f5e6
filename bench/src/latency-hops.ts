import type { Kafka } from 'kafkajs';
import { Topics } from '@herald/contracts';
import { KafkaTap } from '@herald/testing';
import { percentile, type LatencySample } from './latency-probe';

interface RoutedRecord {
  eventId: string | undefined;
  /** The record's CreateTime: when the router handed it to its producer. */
  routedAt: number;
}

/**
 * Where each steady phase's latency went: `route` from the bench's produce to the router's produce of
 * the delivery (the domain topic, the router's fetch and matching), `dispatch` from there to the
 * receipt (herald.deliveries, the dispatcher's fetch, signing and the HTTP call). Read after every phase
 * from herald.deliveries' record timestamps, so the tap adds no load while latency is measured. Both
 * processes run on this host, so their clocks agree.
 */
export async function latencyByHop(
  kafka: Kafka,
  phases: Map<string, LatencySample[]>,
): Promise<Record<string, number>> {
  const tap = await KafkaTap.start<RoutedRecord>(
    kafka,
    [Topics.deliveries],
    'herald-bench-hops',
    ({ message }) => ({ eventId: firstAttemptEventId(message.value), routedAt: Number(message.timestamp) }),
  );
  try {
    const wanted = [...phases.values()].flatMap((samples) => samples.map((s) => s.eventId));
    await tap.waitForEach(wanted, (r) => r.eventId, 60_000);
    // An event the latency endpoints take may match other endpoints too: its first routing counts.
    const routedAt = new Map<string, number>();
    for (const { eventId, routedAt: at } of tap.records) {
      if (eventId === undefined) continue;
      const earlier = routedAt.get(eventId);
      if (earlier === undefined || at < earlier) routedAt.set(eventId, at);
    }
    const rows: Record<string, number> = {};
    for (const [name, samples] of phases) {
      const route = samples.map((s) => routedAt.get(s.eventId)! - s.sentAt).sort((a, b) => a - b);
      const dispatch = samples.map((s) => s.receivedAt - routedAt.get(s.eventId)!).sort((a, b) => a - b);
      rows[`route_p50_${name}_ms`] = percentile(route, 50);
      rows[`route_p99_${name}_ms`] = percentile(route, 99);
      rows[`dispatch_p50_${name}_ms`] = percentile(dispatch, 50);
      rows[`dispatch_p99_${name}_ms`] = percentile(dispatch, 99);
    }
    return rows;
  } finally {
    await tap.stop();
  }
}

function firstAttemptEventId(value: Buffer | null): string | undefined {
  if (!value) return undefined;
  const record = JSON.parse(value.toString('utf8')) as { eventId?: string; attempt?: number };
  return record.attempt === 1 ? record.eventId : undefined;
}
