import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, register } from 'prom-client';
import { heraldMetrics } from '@herald/telemetry';

/** Get-or-create: several services share one process and one default registry in all-in-one mode. */
function single<T>(name: string, create: () => T): T {
  return (register.getSingleMetric(name) as T | undefined) ?? create();
}

/** The scheduler's series; the tier label is the tier's duration label (bounded by configuration). */
@Injectable()
export class SchedulerMetrics {
  readonly dueLateness = single(
    'herald_scheduler_due_lateness_seconds',
    () =>
      new Histogram({
        name: 'herald_scheduler_due_lateness_seconds',
        help: 'How long after its due time a retry was forwarded back to herald.deliveries',
        labelNames: ['tier'],
        buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800],
      }),
  );

  readonly forwarded = single(
    'herald_scheduler_forwarded_total',
    () =>
      new Counter({
        name: 'herald_scheduler_forwarded_total',
        help: 'Retries forwarded to herald.deliveries',
        labelNames: ['tier'],
      }),
  );

  readonly dueTimeProblems = single(
    'herald_scheduler_due_time_problems_total',
    () =>
      new Counter({
        name: 'herald_scheduler_due_time_problems_total',
        help: 'Tier records whose herald-due-at header was missing, invalid or clamped',
        labelNames: ['tier', 'problem'],
      }),
  );

  readonly forwardFailures = single(
    'herald_scheduler_forward_failures_total',
    () =>
      new Counter({
        name: 'herald_scheduler_forward_failures_total',
        help: 'Forwards Kafka refused (retried)',
        labelNames: ['tier'],
      }),
  );

  readonly tierLag = single(
    'herald_scheduler_tier_lag_records',
    () =>
      new Gauge({
        name: 'herald_scheduler_tier_lag_records',
        help: 'Records in a retry tier not yet forwarded and committed (high watermark minus committed offset)',
        labelNames: ['tier'],
      }),
  );

  readonly tierWaiting = single(
    'herald_scheduler_tier_waiting_records',
    () =>
      new Gauge({
        name: 'herald_scheduler_tier_waiting_records',
        help: 'Records seen in the latest batch of each tier partition that are not yet due',
        labelNames: ['tier'],
      }),
  );

  readonly tierNextDue = single(
    'herald_scheduler_tier_next_due_seconds',
    () =>
      new Gauge({
        name: 'herald_scheduler_tier_next_due_seconds',
        help: 'Seconds until the earliest waiting record of the tier falls due',
        labelNames: ['tier'],
      }),
  );

  private readonly waitingByPartition = new Map<
    string,
    { tier: string; waiting: number; resumeAt?: number }
  >();

  /** A forwarded record's lateness; Herald's shared tier-lag gauge shows the tier's latest one. */
  observeLateness(tier: string, seconds: number): void {
    this.dueLateness.observe({ tier }, seconds);
    heraldMetrics.retryTierLag.set({ tier }, seconds);
  }

  /** Records what the latest batch of one partition left waiting, and refreshes the tier gauges. */
  partitionWaiting(
    tier: string,
    topic: string,
    partition: number,
    waiting: number,
    resumeAt: number | undefined,
    now: number,
  ): void {
    this.waitingByPartition.set(`${topic}:${partition}`, { tier, waiting, resumeAt });
    let total = 0;
    let next: number | undefined;
    for (const entry of this.waitingByPartition.values()) {
      if (entry.tier !== tier) continue;
      total += entry.waiting;
      if (entry.resumeAt !== undefined)
        next = next === undefined ? entry.resumeAt : Math.min(next, entry.resumeAt);
    }
    this.tierWaiting.set({ tier }, total);
    this.tierNextDue.set({ tier }, next === undefined ? 0 : Math.max(0, (next - now) / 1000));
  }
}
