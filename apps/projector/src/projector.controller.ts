import { Controller, Inject } from '@nestjs/common';
import { EventPattern } from '@nestjs/microservices';
import type { IncomingBatch } from '@herald/kafka';
import { ProjectRecordsUseCase } from './usecases/project-records/project-records.usecase';

export const PROJECTION_PATTERN = 'herald.projections';

/** One handler for every topic the projector follows; the use case dispatches by topic. */
@Controller()
export class ProjectorController {
  constructor(@Inject(ProjectRecordsUseCase) private readonly project: ProjectRecordsUseCase) {}

  @EventPattern(PROJECTION_PATTERN)
  async handle(batch: IncomingBatch): Promise<void> {
    await this.project.execute({ topic: batch.topic, partition: batch.partition, records: batch.messages });
  }
}
