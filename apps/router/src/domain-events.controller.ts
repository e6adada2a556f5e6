import { Controller, Inject, Logger } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { DomainError, ErrorCode } from '@herald/contracts';
import type { BatchOutcome, IncomingBatch } from '@herald/kafka';
import { recordPartitionLag, startConsumerSpan, traced } from '@herald/telemetry';
import { DOMAIN_EVENTS_PATTERN, OPERATIONAL_EVENTS_PATTERN, ROUTER_GROUP_ID } from './router.env';
import { routerMetrics } from './router.metrics';
import { RouteDomainEventsUseCase } from './usecases/route-domain-events/route-domain-events.usecase';

/** Pause before a batch whose subscription index fell behind is read again. */
const RETRY_BEHIND_AFTER_MS = 1_000;

/** Kafka entry point: one partition's batch of domain (or operational) records per call. */
@Controller()
export class DomainEventsController {
  private readonly log = new Logger(DomainEventsController.name);

  constructor(
    @Inject(RouteDomainEventsUseCase) private readonly routeDomainEvents: RouteDomainEventsUseCase,
  ) {}

  @EventPattern(DOMAIN_EVENTS_PATTERN)
  handle(@Payload() batch: IncomingBatch): Promise<BatchOutcome> {
    return this.route(batch, 'domain');
  }

  /** herald.operational: Herald's own events, to the workspace's endpoints subscribed to them. */
  @EventPattern(OPERATIONAL_EVENTS_PATTERN)
  handleOperational(@Payload() batch: IncomingBatch): Promise<BatchOutcome> {
    return this.route(batch, 'operational');
  }

  private async route(batch: IncomingBatch, source: 'domain' | 'operational'): Promise<BatchOutcome> {
    const span = startConsumerSpan({
      topic: batch.topic,
      partition: batch.partition,
      group: ROUTER_GROUP_ID,
      messageCount: batch.messages.length,
    });
    let commitBefore: string | undefined;
    try {
      ({ commitBefore } = await traced(span, () =>
        this.routeDomainEvents.execute({
          source,
          topic: batch.topic,
          partition: batch.partition,
          records: batch.messages,
          heartbeat: batch.heartbeat,
          commitLater: (offset) => batch.commitLater(offset),
        }),
      ));
    } catch (error) {
      if (!(error instanceof DomainError && error.code === ErrorCode.SubscriptionsBehind)) throw error;
      // Matching now could silently miss endpoints the API already acknowledged: read the batch again.
      this.log.warn(`${batch.topic}:${batch.partition}: ${error.message}; the batch will be read again`);
      routerMetrics.catchUpTimeouts.inc();
      return { processedThrough: null, resumeAt: Date.now() + RETRY_BEHIND_AFTER_MS };
    }
    const last = batch.messages[batch.messages.length - 1];
    if (last) {
      const lag = Number(BigInt(batch.highWatermark) - BigInt(last.offset) - 1n);
      recordPartitionLag(ROUTER_GROUP_ID, batch.topic, batch.partition, lag);
    }
    // The batch's dedupe markers are still being written: read on, commit once they are (MarkerTrail).
    if (last && commitBefore !== undefined) return { processedThrough: last.offset, commitBefore };
  }
}
