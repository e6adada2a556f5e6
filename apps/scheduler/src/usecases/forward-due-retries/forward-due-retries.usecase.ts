import { Inject, Injectable, Logger } from '@nestjs/common';
import { copyHeaders, headerText, KafkaHeaders, Topics } from '@herald/contracts';
import { HeraldProducer, type OutgoingRecord } from '@herald/kafka';
import { continuingTraceHeaders, startConsumerSpan, startProducerSpan } from '@herald/telemetry';
import { SCHEDULER_GROUP_ID } from '../../scheduler.constants';
import { ForwardedOffsetsRegistry } from '../../forwarded-offsets.registry';
import { SchedulerClock } from '../../scheduler.clock';
import { SchedulerMetrics } from '../../scheduler.metrics';
import { SCHEDULER_ENV, type SchedulerEnv } from '../../scheduler.env';
import { planDueBatch } from './due-batch.plan';
import { resolveDueAt } from './due-time.policy';

/** One record of a tier partition, as read from Kafka. */
export interface TierRecord {
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, Buffer | string | (Buffer | string)[] | undefined>;
  /** Produce time, epoch ms as a string (Kafka's record timestamp). */
  timestamp: string;
}

export interface ForwardDueRetriesCommand {
  topic: string;
  partition: number;
  tier: { label: string; delayMs: number; rescanMs: number };
  /** In offset order, as fetched. */
  records: readonly TierRecord[];
}

/** What the transport commits and when it reads the partition again. */
export type ForwardDueRetriesResult =
  { complete: true } | { complete: false; processedThrough: string | null; resumeAt: number };

/**
 * Sends every due record of a tier batch back to `herald.deliveries` with its key, value and headers
 * unchanged, and says how far the partition may be committed and when to look at it again.
 * Nothing is committed before Kafka acknowledged the forward.
 */
@Injectable()
export class ForwardDueRetriesUseCase {
  private readonly log = new Logger(ForwardDueRetriesUseCase.name);

  constructor(
    @Inject(HeraldProducer) private readonly producer: HeraldProducer,
    @Inject(ForwardedOffsetsRegistry) private readonly forwarded: ForwardedOffsetsRegistry,
    @Inject(SchedulerMetrics) private readonly metrics: SchedulerMetrics,
    @Inject(SchedulerClock) private readonly clock: SchedulerClock,
    @Inject(SCHEDULER_ENV) private readonly env: SchedulerEnv,
  ) {}

  async execute(command: ForwardDueRetriesCommand): Promise<ForwardDueRetriesResult> {
    const { topic, partition, tier, records } = command;
    if (records.length === 0) return { complete: true };
    const planned = records.map((record) => {
      const { dueAt, problem } = resolveDueAt(
        headerText(record.headers, KafkaHeaders.dueAt),
        Number(record.timestamp),
        tier.delayMs,
      );
      if (problem && !this.forwarded.has(topic, partition, record.offset)) {
        this.metrics.dueTimeProblems.inc({ tier: tier.label, problem });
        this.log.warn(
          `${topic}[${partition}]@${record.offset}: ${KafkaHeaders.dueAt} ${problem}; due at ${new Date(dueAt).toISOString()}`,
        );
      }
      return { offset: record.offset, dueAt };
    });
    const plan = planDueBatch(
      planned,
      (offset) => this.forwarded.has(topic, partition, offset),
      this.clock.now(),
      this.env.HERALD_SCHEDULER_EARLY_MARGIN,
    );

    if (plan.forwardNow.length > 0) {
      const outgoing: OutgoingRecord[] = [];
      const spans: ReturnType<typeof startConsumerSpan>[] = [];
      for (const index of plan.forwardNow) {
        const record = records[index];
        // A tombstone carries nothing to deliver; it is passed over, not forwarded.
        if (record.value === null) continue;
        // A due retry starts its own trace, linked to the attempt that failed; the forward continues it.
        const span = startConsumerSpan({
          topic,
          partition,
          group: SCHEDULER_GROUP_ID,
          offset: record.offset,
          key: record.key,
          linkTraceparents: [headerText(record.headers, KafkaHeaders.previousAttemptTraceparent)],
        });
        const send = startProducerSpan({ topic: Topics.deliveries, parent: span });
        spans.push(send, span);
        const origin = headerText(record.headers, KafkaHeaders.originTraceparent);
        // Herald keys are ids (UTF-8), so the string form hashes to the same partition.
        outgoing.push({
          topic: Topics.deliveries,
          key: record.key?.toString('utf8') ?? null,
          value: record.value,
          headers: { ...copyHeaders(record.headers), ...continuingTraceHeaders(send, origin) },
        });
      }
      try {
        await this.producer.send(outgoing).finally(() => spans.forEach((span) => span.end()));
      } catch (error) {
        // Kafka refused: keep the offsets uncommitted and try again shortly, without crashing the consumer.
        this.metrics.forwardFailures.inc({ tier: tier.label }, plan.forwardNow.length);
        this.log.warn(
          `forwarding ${plan.forwardNow.length} record(s) from ${topic}[${partition}] failed: ${(error as Error).message}`,
        );
        const retryAt = this.clock.now() + this.env.HERALD_SCHEDULER_FORWARD_RETRY_DELAY;
        const head = this.leadingForwarded(topic, partition, records);
        return { complete: false, processedThrough: head, resumeAt: retryAt };
      }
      const sentAt = this.clock.now();
      for (const index of plan.forwardNow) {
        this.metrics.observeLateness(tier.label, Math.max(0, sentAt - planned[index].dueAt) / 1000);
      }
      this.metrics.forwarded.inc({ tier: tier.label }, outgoing.length);
    }

    this.metrics.partitionWaiting(
      tier.label,
      topic,
      partition,
      plan.waiting,
      plan.resumeAt,
      this.clock.now(),
    );
    if (plan.complete) {
      this.forwarded.releaseBelow(topic, partition, nextOffset(records[records.length - 1].offset));
      return { complete: true };
    }
    // Remember forwards beyond the committable prefix so the re-read after the pause skips them.
    this.forwarded.add(
      topic,
      partition,
      plan.forwardNow.map((index) => records[index].offset),
    );
    if (plan.processedThrough !== null)
      this.forwarded.releaseBelow(topic, partition, nextOffset(plan.processedThrough));
    // Not later than the tier's rescan time: records appended during the pause are otherwise unseen
    // until the head falls due, and with jitter some of them fall due before it.
    const resumeAt = Math.min(plan.resumeAt!, this.clock.now() + tier.rescanMs);
    return { complete: false, processedThrough: plan.processedThrough, resumeAt };
  }

  /** The contiguous run of records forwarded in earlier batches, from the batch start. */
  private leadingForwarded(topic: string, partition: number, records: readonly TierRecord[]): string | null {
    let through: string | null = null;
    for (const record of records) {
      if (!this.forwarded.has(topic, partition, record.offset)) break;
      through = record.offset;
    }
    return through;
  }
}

function nextOffset(offset: string): string {
  return (BigInt(offset) + 1n).toString();
}
