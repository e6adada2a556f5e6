import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import type { IncomingBatch } from '@herald/kafka';
import { DOMAIN_EVENTS_PATTERN } from './router.env';
import { RouteDomainEventsUseCase } from './usecases/route-domain-events/route-domain-events.usecase';

/** Kafka entry point: one partition's batch of domain records per call. */
@Controller()
export class DomainEventsController {
  constructor(
    @Inject(RouteDomainEventsUseCase) private readonly routeDomainEvents: RouteDomainEventsUseCase,
  ) {}

  @EventPattern(DOMAIN_EVENTS_PATTERN)
  async handle(@Payload() batch: IncomingBatch): Promise<void> {
    await this.routeDomainEvents.execute({
      topic: batch.topic,
      partition: batch.partition,
      records: batch.messages,
      heartbeat: batch.heartbeat,
    });
  }
}
