import { Controller, Inject, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { EventPattern } from '@nestjs/microservices';
import type { BatchOutcome, IncomingBatch } from '@herald/kafka';
import { startConsumerSpan, traced } from '@herald/telemetry';
import { PROJECTOR_ENV, PROJECTOR_GROUP, type ProjectorEnv } from './projector.env';
import { ProjectionBuffer } from './projection-buffer';
import {
  type ProjectedRecord,
  ProjectRecordsUseCase,
} from './usecases/project-records/project-records.usecase';

export const PROJECTION_PATTERN = 'herald.projections';

/**
 * One handler for every topic the projector follows; the use case dispatches by topic. Records gather
 * per partition across fetches (ProjectionBuffer) and are written in larger transactions.
 */
@Controller()
export class ProjectorController implements OnApplicationShutdown {
  private readonly log = new Logger('Projector');
  private readonly buffer: ProjectionBuffer;

  constructor(
    @Inject(ProjectRecordsUseCase) private readonly project: ProjectRecordsUseCase,
    @Inject(PROJECTOR_GROUP) private readonly group: string,
    @Inject(PROJECTOR_ENV) env: ProjectorEnv,
  ) {
    this.buffer = new ProjectionBuffer({
      maxRecords: env.HERALD_PROJECTOR_BATCH_RECORDS,
      maxWaitMs: env.HERALD_PROJECTOR_LINGER,
      write: (topic, partition, records) => this.write(topic, partition, records),
      onWriteFailure: (topic, partition, error) =>
        this.log.warn(
          `projecting ${topic}:${partition} failed, its records are read again: ${(error as Error).message}`,
        ),
    });
  }

  @EventPattern(PROJECTION_PATTERN)
  async handle(batch: IncomingBatch): Promise<BatchOutcome> {
    return this.buffer.add(batch);
  }

  onApplicationShutdown(): void {
    this.buffer.clear();
  }

  private async write(topic: string, partition: number, records: ProjectedRecord[]): Promise<void> {
    const span = startConsumerSpan({ topic, partition, group: this.group, messageCount: records.length });
    await traced(span, () => this.project.execute({ topic, partition, records }));
  }
}
