import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { Topics } from '@herald/contracts';
import type { BatchOutcome, IncomingBatch } from '@herald/kafka';
import { DispatchBatchUseCase } from './usecases/dispatch-batch/dispatch-batch.usecase';

/** Kafka entry of the dispatcher: one batch of one `herald.deliveries` partition. */
@Controller()
export class DeliveryConsumer {
  constructor(@Inject(DispatchBatchUseCase) private readonly dispatchBatch: DispatchBatchUseCase) {}

  @EventPattern(Topics.deliveries)
  onDeliveries(@Payload() batch: IncomingBatch): Promise<BatchOutcome> {
    return this.dispatchBatch.execute({
      topic: batch.topic,
      partition: batch.partition,
      messages: batch.messages,
      commitLater: (offset) => batch.commitLater(offset),
      rewindLater: (offset) => batch.rewindLater(offset),
    });
  }
}
