import { KafkaHeaders } from '../kafka-headers';
import { Topics } from '../topics';
import type { HeraldRecord } from './herald-record';
import { FAILING_THRESHOLDS, type FailingThreshold } from './operational.event';

/**
 * One endpoint's failure streak on the compacted `herald.endpoint-health` topic, keyed by endpoint id
 * and written only by the dispatcher that owns the endpoint's partition. It is written when the streak
 * starts, when it crosses a failing level and when it ends (a tombstone), not per attempt, and read back on start-up so auto-disable
 * keeps counting across restarts and rebalances.
 */
export interface EndpointHealth {
  kind: 'EndpointHealth';
  endpointId: string;
  /** The snapshot version the streak was seen against; an edit (a newer version) starts afresh. */
  version: number;
  /** First failed attempt with no success since. */
  failingSince: string;
  /** The highest `endpoint.failing` level announced in this streak, so a restart never repeats one. */
  threshold?: FailingThreshold;
}

export function endpointHealth(fields: Omit<EndpointHealth, 'kind'>): EndpointHealth {
  return { kind: 'EndpointHealth', ...fields };
}

export function encodeEndpointHealth(health: EndpointHealth): string {
  return JSON.stringify(health);
}

/**
 * The `herald.endpoint-health` record of a streak that started, or its tombstone (`health` null)
 * when it ended, tagged with the writing process so it skips its own records when reading back.
 */
export function endpointHealthRecord(
  endpointId: string,
  health: EndpointHealth | null,
  writerId: string,
): HeraldRecord {
  return {
    topic: Topics.endpointHealth,
    key: endpointId,
    value: health === null ? null : encodeEndpointHealth(health),
    headers: { [KafkaHeaders.healthWriter]: writerId },
  };
}

/** The record in `value`, or undefined when it is not one (logged by the caller); never throws. */
export function decodeEndpointHealth(value: Buffer | string): EndpointHealth | undefined {
  try {
    const h = JSON.parse(value.toString()) as Partial<EndpointHealth> | null;
    if (
      h?.kind === 'EndpointHealth' &&
      typeof h.endpointId === 'string' &&
      Number.isInteger(h.version) &&
      typeof h.failingSince === 'string' &&
      !Number.isNaN(Date.parse(h.failingSince)) &&
      (h.threshold === undefined || (FAILING_THRESHOLDS as readonly number[]).includes(h.threshold))
    ) {
      return h as EndpointHealth;
    }
  } catch {
    // not JSON
  }
  return undefined;
}
