import { Inject, Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '@herald/contracts';
import { decideCancel, isTerminal } from '@herald/jobs';
import { JobRepository } from '@herald/persistence';
import { JobRunner } from '../../jobs/job.runner';
import { toJobView, type JobView } from '../../jobs/job.view';

/** How long a cancel request waits for the job to end before answering with it still stopping. */
const SETTLE_MS = 5_000;
const POLL_MS = 100;

/**
 * Cancels a running job: the request is recorded, the instance running the job stops it (at once here,
 * within half a second elsewhere) and it ends cancelled with its progress kept. Repeating the request
 * answers the same; cancelling a job that ended otherwise is a conflict.
 */
@Injectable()
export class CancelJobUseCase {
  constructor(
    @Inject(JobRepository) private readonly jobs: JobRepository,
    @Inject(JobRunner) private readonly runner: JobRunner,
  ) {}

  async execute(command: { workspaceId: string; jobId: string }): Promise<JobView> {
    const job = await this.jobs.find(command.workspaceId, command.jobId);
    if (!job) throw new DomainError(ErrorCode.NotFound, `job ${command.jobId} not found`);
    const decision = decideCancel(job.state);
    if (decision === 'already_cancelled') return toJobView(job);
    if (decision === 'conflict') throw this.conflict(command.jobId, job.state);
    if (!(await this.jobs.requestCancel(command.workspaceId, command.jobId))) {
      // it ended between the read and the request
      return this.execute(command);
    }
    if (this.runner.stop(command.jobId, 'cancelled')) await this.runner.settled(command.jobId, SETTLE_MS);
    const settled = await this.waitForEnd(command.workspaceId, command.jobId);
    if (isTerminal(settled.state) && settled.state !== 'cancelled')
      throw this.conflict(command.jobId, settled.state);
    return toJobView(settled);
  }

  /** The job once it ended, or as it is when SETTLE_MS passed (still stopping on another instance). */
  private async waitForEnd(workspaceId: string, jobId: string) {
    const until = Date.now() + SETTLE_MS;
    for (;;) {
      const job = (await this.jobs.find(workspaceId, jobId))!;
      if (isTerminal(job.state) || Date.now() >= until) return job;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  private conflict(jobId: string, state: string): DomainError {
    return new DomainError(
      ErrorCode.Conflict,
      `job ${jobId} already ended ${state}; only a running job can be cancelled`,
      {
        state,
      },
    );
  }
}
