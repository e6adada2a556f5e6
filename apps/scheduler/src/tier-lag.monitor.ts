import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import { KAFKA_CLIENT } from '@herald/kafka';
import { RetryTiers } from './retry-tiers';
import { SchedulerMetrics } from './scheduler.metrics';
import { SCHEDULER_ENV, type SchedulerEnv } from './scheduler.env';
import { SCHEDULER_GROUP_ID } from './scheduler.constants';

/** Measures each tier's lag (records not yet committed by the scheduler group) on a timer. */
@Injectable()
export class TierLagMonitor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(TierLagMonitor.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    @Inject(KAFKA_CLIENT) private readonly kafka: Kafka,
    @Inject(RetryTiers) private readonly tiers: RetryTiers,
    @Inject(SchedulerMetrics) private readonly metrics: SchedulerMetrics,
    @Inject(SCHEDULER_ENV) private readonly env: SchedulerEnv,
  ) {}

  onApplicationBootstrap(): void {
    const interval = this.env.HERALD_SCHEDULER_LAG_INTERVAL;
    if (interval <= 0) return;
    this.timer = setInterval(() => {
      this.running ??= this.measure()
        .catch((error: unknown) => this.log.warn(`tier lag measurement failed: ${(error as Error).message}`))
        .finally(() => (this.running = undefined));
    }, interval);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  async measure(): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const committed = await admin.fetchOffsets({ groupId: SCHEDULER_GROUP_ID, topics: this.tiers.topics });
      for (const tier of this.tiers.all) {
        const ends = await admin.fetchTopicOffsets(tier.topic);
        const done = committed.find((entry) => entry.topic === tier.topic)?.partitions ?? [];
        let lag = 0n;
        for (const end of ends) {
          const at = done.find((p) => p.partition === end.partition)?.offset;
          const from = at === undefined || at === '-1' ? BigInt(end.low) : BigInt(at);
          const diff = BigInt(end.high) - from;
          if (diff > 0n) lag += diff;
        }
        this.metrics.tierLag.set({ tier: tier.label }, Number(lag));
      }
    } finally {
      await admin.disconnect();
    }
  }
}
