import { Inject, Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '@herald/contracts';
import { JobRepository } from '@herald/persistence';
import { toJobView, type JobView } from '../../jobs/job.view';

/** One job of a workspace, with its progress as last written. */
@Injectable()
export class GetJobUseCase {
  constructor(@Inject(JobRepository) private readonly jobs: JobRepository) {}

  async execute(command: { workspaceId: string; jobId: string }): Promise<JobView> {
    const job = await this.jobs.find(command.workspaceId, command.jobId);
    if (!job) throw new DomainError(ErrorCode.NotFound, `job ${command.jobId} not found`);
    return toJobView(job);
  }
}
