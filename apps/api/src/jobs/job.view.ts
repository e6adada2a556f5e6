import { ApiProperty } from '@nestjs/swagger';
import { TERMINAL_JOB_STATES, jobPercent } from '@herald/jobs';
import type { JobEntity } from '@herald/persistence';

export class JobView {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ['recover', 'backfill', 'purge'] }) kind!: string;
  @ApiProperty({
    enum: ['running', ...TERMINAL_JOB_STATES],
    description:
      'running until it ends in one of: succeeded (read everything it set out to), failed (see error), ' +
      'timed_out (its time limit passed), cancelled (a cancel request stopped it)',
  })
  state!: string;
  @ApiProperty({ nullable: true, type: String, description: 'null for a purge by event or by time' })
  endpointId!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) params!: Record<string, unknown>;
  @ApiProperty({ nullable: true, type: Number, description: 'Items the job set out to read, fixed at start' })
  total!: number | null;
  @ApiProperty({ description: 'Items the job got through so far' }) processed!: number;
  @ApiProperty({ description: 'Deliveries requested so far (0 for a purge)' }) produced!: number;
  @ApiProperty({ nullable: true, type: Number, description: '100 only once succeeded' }) percent!:
    number | null;
  @ApiProperty({ nullable: true, type: String }) error!: string | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description:
      'Set when the job ends, e.g. lostToRetention for a backfill; a purge keeps its running counts here ' +
      '(deliveries, attempts, bytes erased) after every batch',
  })
  result!: Record<string, unknown> | null;
  @ApiProperty() cancelRequested!: boolean;
  @ApiProperty({ nullable: true, type: String }) deadlineAt!: string | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
  @ApiProperty({ nullable: true, type: String }) finishedAt!: string | null;
}

export class JobListView {
  @ApiProperty({ type: [JobView] }) data!: JobView[];
}

export function toJobView(job: JobEntity): JobView {
  return {
    id: job.id,
    kind: job.kind,
    state: job.state,
    endpointId: job.endpointId,
    params: job.params,
    total: job.total,
    processed: job.processed,
    produced: job.produced,
    percent: jobPercent(job),
    error: job.error,
    result: job.result,
    cancelRequested: job.cancelRequestedAt !== null,
    deadlineAt: job.deadlineAt ? job.deadlineAt.toISOString() : null,
    createdAt: job.createdAt.toISOString(),
    updatedAt: job.updatedAt.toISOString(),
    finishedAt: job.finishedAt ? job.finishedAt.toISOString() : null,
  };
}
