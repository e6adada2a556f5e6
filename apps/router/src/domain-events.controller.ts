import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import type { IncomingBatch } from '@herald/kafka';
import { recordPartitionLag, startConsumerSpan, traced } from '@herald/telemetry';
import { DOMAIN_EVENTS_PATTERN, ROUTER_GROUP_ID } from './router.env';
import { RouteDomainEventsUseCase } from './usecases/route-domain-events/route-domain-events.usecase';

/** Kafka entry point: one partition's batch of domain records per call. */
@Controller()
export class DomainEventsController {
  constructor(
    @Inject(RouteDomainEventsUseCase) private readonly routeDomainEvents: RouteDomainEventsUseCase,
  ) {}

  @EventPattern(DOMAIN_EVENTS_PATTERN)
  async handle(@Payload() batch: IncomingBatch): Promise<void> {
    const span = startConsumerSpan({
      topic: batch.topic,
      partition: batch.partition,
      group: ROUTER_GROUP_ID,
      messageCount: batch.messages.length,
    });
    await traced(span, () =>
      this.routeDomainEvents.execute({
        topic: batch.topic,
        partition: batch.partition,
        records: batch.messages,
        heartbeat: batch.heartbeat,
      }),
    );
    const last = batch.messages[batch.messages.length - 1];
    if (last) {
      const lag = Number(BigInt(batch.highWatermark) - BigInt(last.offset) - 1n);
      recordPartitionLag(ROUTER_GROUP_ID, batch.topic, batch.partition, lag);
    }
  }
}
