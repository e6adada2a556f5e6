import { Inject, Injectable } from '@nestjs/common';
import { formatDuration, retryTierTopic } from '@herald/contracts';
import { SCHEDULER_ENV, type SchedulerEnv } from './scheduler.env';

export interface RetryTier {
  label: string;
  delayMs: number;
  topic: string;
}

/** The tier topics this scheduler consumes, from HERALD_RETRY_TIERS. */
@Injectable()
export class RetryTiers {
  readonly all: readonly RetryTier[];
  private readonly byTopic: Map<string, RetryTier>;

  constructor(@Inject(SCHEDULER_ENV) env: SchedulerEnv) {
    this.all = env.HERALD_RETRY_TIERS.map((delayMs) => {
      const label = formatDuration(delayMs);
      return { label, delayMs, topic: retryTierTopic(label) };
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
