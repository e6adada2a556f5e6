import { Inject, Injectable } from '@nestjs/common';
import { JobRepository } from '@herald/persistence';
import { API_ENV, type ApiEnv } from '../../api.env';
import { toJobView, type JobListView } from '../../jobs/job.view';

/** A workspace's most recent jobs, newest first. */
@Injectable()
export class ListJobsUseCase {
  constructor(
    @Inject(JobRepository) private readonly jobs: JobRepository,
    @Inject(API_ENV) private readonly env: ApiEnv,
  ) {}

  async execute(command: { workspaceId: string; limit?: number }): Promise<JobListView> {
    const limit = Math.min(
      command.limit ?? this.env.HERALD_API_DEFAULT_PAGE_SIZE,
      this.env.HERALD_API_MAX_PAGE_SIZE,
    );
    return { data: (await this.jobs.list(command.workspaceId, limit)).map(toJobView) };
  }
}
