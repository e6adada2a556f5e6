import { Inject, Injectable } from '@nestjs/common';
import { JobRepository } from '@herald/persistence';
import { API_ENV, type ApiEnv } from '../../api.env';
import { resolvePageLimit } from '../../http/pagination';
import { toJobView, type JobListView } from '../../jobs/job.view';

/** A workspace's most recent jobs, newest first. */
@Injectable()
export class ListJobsUseCase {
  constructor(
    @Inject(JobRepository) private readonly jobs: JobRepository,
    @Inject(API_ENV) private readonly env: ApiEnv,
  ) {}

  async execute(command: { workspaceId: string; limit?: number }): Promise<JobListView> {
    const limit = resolvePageLimit(command.limit, this.env);
    return { data: (await this.jobs.list(command.workspaceId, limit)).map(toJobView) };
  }
}
