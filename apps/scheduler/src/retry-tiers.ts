import { Inject, Injectable } from '@nestjs/common';
import { formatDuration, retryTierTopic } from '@herald/contracts';
import { SCHEDULER_ENV, type SchedulerEnv } from './scheduler.env';

export interface RetryTier {
  label: string;
  delayMs: number;
  topic: string;
  /** How long a paused partition of this tier may go without a look at records appended meanwhile. */
  rescanMs: number;
}

/** The dispatcher's jitter spread: a due time lies within ±20 % of the tier delay. */
const JITTER = 0.2;

/**
 * A record produced to a tier after the last look falls due no sooner than (1 - jitter) x delay
 * later, or, moved there by Retry-After, no sooner than the next smaller tier's delay (it would have
 * gone to that tier otherwise). Looking again within that time never lets such a record wait behind
 * the head, without re-reading long tiers every second.
 */
export function tierRescanMs(delayMs: number, previousDelayMs: number, floorMs: number): number {
  return Math.max(floorMs, Math.min(Math.floor((1 - JITTER) * delayMs), previousDelayMs));
}

/** The tier topics this scheduler consumes, from HERALD_RETRY_TIERS. */
@Injectable()
export class RetryTiers {
  readonly all: readonly RetryTier[];
  private readonly byTopic: Map<string, RetryTier>;

  constructor(@Inject(SCHEDULER_ENV) env: SchedulerEnv) {
    // HERALD_RETRY_TIERS is sorted ascending by the env schema.
    this.all = env.HERALD_RETRY_TIERS.map((delayMs, index, delays) => {
      const label = formatDuration(delayMs);
      const rescanMs = tierRescanMs(
        delayMs,
        index > 0 ? delays[index - 1] : 0,
        env.HERALD_SCHEDULER_RESCAN_INTERVAL,
      );
      return { label, delayMs, topic: retryTierTopic(label), rescanMs };
    });
    this.byTopic = new Map(this.all.map((tier) => [tier.topic, tier]));
  }

  get topics(): string[] {
    return this.all.map((tier) => tier.topic);
  }

  forTopic(topic: string): RetryTier | undefined {
    return this.byTopic.get(topic);
  }
}
