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

  /** endpointIds: only jobs of these endpoints (a portal link's), which leaves purge jobs out. */
  async execute(command: {
    workspaceId: string;
    limit?: number;
    endpointIds?: readonly string[] | null;
  }): Promise<JobListView> {
    const limit = resolvePageLimit(command.limit, this.env);
    if (command.endpointIds?.length === 0) return { data: [] };
    const jobs = await this.jobs.list(command.workspaceId, limit, command.endpointIds ?? undefined);
    return { data: jobs.map(toJobView) };
  }
}
