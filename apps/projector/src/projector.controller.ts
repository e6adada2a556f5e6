import { Controller, Inject } from '@nestjs/common';
import { EventPattern } from '@nestjs/microservices';
import type { IncomingBatch } from '@herald/kafka';
import { recordPartitionLag, startConsumerSpan, traced } from '@herald/telemetry';
import { PROJECTOR_GROUP } from './projector.env';
import { ProjectRecordsUseCase } from './usecases/project-records/project-records.usecase';

export const PROJECTION_PATTERN = 'herald.projections';

/** One handler for every topic the projector follows; the use case dispatches by topic. */
@Controller()
export class ProjectorController {
  constructor(
    @Inject(ProjectRecordsUseCase) private readonly project: ProjectRecordsUseCase,
    @Inject(PROJECTOR_GROUP) private readonly group: string,
  ) {}

  @EventPattern(PROJECTION_PATTERN)
  async handle(batch: IncomingBatch): Promise<void> {
    const span = startConsumerSpan({
      topic: batch.topic,
      partition: batch.partition,
      group: this.group,
      messageCount: batch.messages.length,
    });
    await traced(span, () =>
      this.project.execute({ topic: batch.topic, partition: batch.partition, records: batch.messages }),
    );
    const last = batch.messages[batch.messages.length - 1];
    if (last)
      recordPartitionLag(
        this.group,
        batch.topic,
        batch.partition,
        Number(BigInt(batch.highWatermark) - BigInt(last.offset) - 1n),
      );
  }
}
