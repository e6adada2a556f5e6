import type { Provider } from '@nestjs/common';
import { loadConfig } from '@herald/config';
import { CancelJobUseCase } from '../usecases/cancel-job/cancel-job.usecase';
import { GetJobUseCase } from '../usecases/get-job/get-job.usecase';
import { ListJobsUseCase } from '../usecases/list-jobs/list-jobs.usecase';
import { JobRunner } from './job.runner';
import { JOBS_ENV, jobsEnv } from './jobs.env';

/** The job runner, its settings (validated at start-up) and the use cases of the jobs routes. */
export const jobsProviders: Provider[] = [
  { provide: JOBS_ENV, useFactory: () => loadConfig(jobsEnv) },
  JobRunner,
  ListJobsUseCase,
  GetJobUseCase,
  CancelJobUseCase,
];
