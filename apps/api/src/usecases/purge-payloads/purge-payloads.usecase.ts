import { Inject, Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '@herald/contracts';
import {
  addPurgeCounts,
  decidePurgeRequest,
  planPurgeBatch,
  type PurgeCounts,
  type PurgeCursor,
  type PurgeRequestInput,
  type PurgeSelector,
} from '@herald/jobs';
import { EndpointRepository, PayloadPurgeRepository } from '@herald/persistence';
import { JobRunner, type JobControl } from '../../jobs/job.runner';
import { jobTimeLimitMs } from '../../jobs/job-time-limit';
import { toJobView, type JobView } from '../../jobs/job.view';
import { JOBS_ENV, type JobsEnv } from '../../jobs/jobs.env';

/**
 * Starts a purge job erasing a workspace's stored payloads and response bodies for one event, one
 * endpoint, or everything requested before a time. total is the matching deliveries when it starts,
 * processed those gone through; result holds the erased counts after every batch, so a cancelled or
 * timed-out purge still says what it removed (running it again finishes the rest).
 */
@Injectable()
export class PurgePayloadsUseCase {
  constructor(
    @Inject(EndpointRepository) private readonly endpoints: EndpointRepository,
    @Inject(PayloadPurgeRepository) private readonly purges: PayloadPurgeRepository,
    @Inject(JobRunner) private readonly jobs: JobRunner,
    @Inject(JOBS_ENV) private readonly jobsEnv: JobsEnv,
  ) {}

  async execute(command: PurgeRequestInput & { workspaceId: string; timeLimit?: string }): Promise<JobView> {
    const decision = decidePurgeRequest(command, new Date());
    if (!decision.ok) {
      throw new DomainError(ErrorCode.ValidationFailed, decision.fields[0].message, {
        fields: decision.fields,
      });
    }
    const timeLimitMs = jobTimeLimitMs(command.timeLimit, this.jobsEnv.HERALD_JOB_TIME_LIMIT);
    const selector = decision.selector;
    // A deleted endpoint's deliveries stay in the log, and erasing them is a fair request.
    if (
      selector.by === 'endpoint' &&
      !(await this.endpoints.find(command.workspaceId, selector.endpointId))
    ) {
      if ((await this.purges.count(command.workspaceId, selector)) === 0)
        throw new DomainError(ErrorCode.NotFound, `endpoint ${selector.endpointId} not found`);
    }
    const job = await this.jobs.start(
      {
        kind: 'purge',
        workspaceId: command.workspaceId,
        endpointId: selector.by === 'endpoint' ? selector.endpointId : null,
        params: paramsOf(selector),
        timeLimitMs,
        maxActive: this.jobsEnv.HERALD_WORKSPACE_MAX_ACTIVE_JOBS,
      },
      (control) => this.run(command.workspaceId, selector, control),
    );
    return toJobView(job);
  }

  private async run(workspaceId: string, selector: PurgeSelector, job: JobControl): Promise<void> {
    await job.setTotal(await this.purges.count(workspaceId, selector));
    const at = new Date();
    const before = selector.by === 'before' ? selector.before : undefined;
    let counts: PurgeCounts = { deliveries: 0, attempts: 0, bytes: 0 };
    job.setResult({ purged: { ...counts } });
    let progress: { cursor: PurgeCursor | null; lastPageRows: number | null } = {
      cursor: null,
      lastPageRows: null,
    };
    for (;;) {
      const step = planPurgeBatch(
        { ...progress, stopRequested: job.signal.aborted },
        this.jobsEnv.HERALD_PURGE_BATCH_SIZE,
      );
      if (step.done) break;
      const page = await this.purges.page(workspaceId, selector, step.after, step.limit);
      if (page.length > 0) {
        const erased = await this.purges.erase(workspaceId, page, { at, reason: 'purged', before });
        counts = addPurgeCounts(counts, erased);
        job.setResult({ purged: { ...counts } });
      }
      await job.advance(page.length, 0);
      progress = { cursor: page.at(-1) ?? progress.cursor, lastPageRows: page.length };
    }
  }
}

function paramsOf(selector: PurgeSelector): Record<string, unknown> {
  if (selector.by === 'event') return { eventId: selector.eventId };
  if (selector.by === 'endpoint') return { endpointId: selector.endpointId };
  return { before: selector.before.toISOString() };
}
