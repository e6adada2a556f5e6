import { Controller, Inject, Logger } from '@nestjs/common';
import { EventPattern } from '@nestjs/microservices';
import type { BatchOutcome, IncomingBatch } from '@herald/kafka';
import { startConsumerSpan, traced } from '@herald/telemetry';
import { PROJECTOR_GROUP } from './projector.env';
import { ProjectRecordsUseCase } from './usecases/project-records/project-records.usecase';

export const PROJECTION_PATTERN = 'herald.projections';

/** How long a partition whose write failed rests before its records are read again. */
export const REPROJECT_AFTER_MS = 1_000;

/**
 * One handler for every topic the projector follows; the use case dispatches by topic. Each fetched
 * batch is written in one transaction before its offsets are committed. A failed write (Postgres
 * down) reads the batch again after REPROJECT_AFTER_MS; every write is an idempotent upsert.
 */
@Controller()
export class ProjectorController {
  private readonly log = new Logger('Projector');

  constructor(
    @Inject(ProjectRecordsUseCase) private readonly project: ProjectRecordsUseCase,
    @Inject(PROJECTOR_GROUP) private readonly group: string,
  ) {}

  @EventPattern(PROJECTION_PATTERN)
  async handle(batch: IncomingBatch): Promise<BatchOutcome> {
    const { topic, partition, messages } = batch;
    if (messages.length === 0) return undefined;
    const span = startConsumerSpan({ topic, partition, group: this.group, messageCount: messages.length });
    try {
      await traced(span, () => this.project.execute({ topic, partition, records: messages }));
      return undefined;
    } catch (error) {
      this.log.warn(
        `projecting ${topic}:${partition} failed, its records are read again: ${(error as Error).message}`,
      );
      return {
        processedThrough: null,
        rewindTo: messages[0].offset,
        resumeAt: Date.now() + REPROJECT_AFTER_MS,
      };
    }
  }
}
