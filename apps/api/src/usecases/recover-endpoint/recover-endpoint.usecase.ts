import { Inject, Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '@herald/contracts';
import { DeliveryQueryRepository, EndpointRepository } from '@herald/persistence';
import { parseTime } from '../../http/page-cursor';
import { JobRunner, type JobControl } from '../../jobs/job.runner';
import { jobTimeLimitMs } from '../../jobs/job-time-limit';
import { sendInChunks } from '../../jobs/request-sender';
import { toJobView } from '../../jobs/job.view';
import { JOBS_ENV, type JobsEnv } from '../../jobs/jobs.env';
import { WorkspaceRetentionService } from '../../retention/workspace-retention.service';
import { payloadRemoval } from '../list-deliveries/delivery.view';
import { DeliveryRequestProducer } from '../retry-delivery/delivery-request.producer';

const PAGE = 500;

/**
 * Starts a job re-sending the endpoint's failed deliveries requested in [since, until). total is the
 * count when the job starts; processed counts the failed deliveries read, produced the ones re-sent
 * (a delivery whose payload was removed, by purge or retention, cannot be).
 */
@Injectable()
export class RecoverEndpointUseCase {
  constructor(
    @Inject(EndpointRepository) private readonly endpoints: EndpointRepository,
    @Inject(DeliveryQueryRepository) private readonly deliveries: DeliveryQueryRepository,
    @Inject(DeliveryRequestProducer) private readonly requests: DeliveryRequestProducer,
    @Inject(JobRunner) private readonly jobs: JobRunner,
    @Inject(JOBS_ENV) private readonly jobsEnv: JobsEnv,
    @Inject(WorkspaceRetentionService) private readonly retention: WorkspaceRetentionService,
  ) {}

  async execute(command: {
    workspaceId: string;
    endpointId: string;
    since: string;
    until?: string;
    timeLimit?: string;
  }) {
    const timeLimitMs = jobTimeLimitMs(command.timeLimit, this.jobsEnv.HERALD_JOB_TIME_LIMIT);
    const maxActive = this.jobsEnv.HERALD_WORKSPACE_MAX_ACTIVE_JOBS;
    const since = parseTime(command.since, 'since')!;
    const until = parseTime(command.until, 'until') ?? new Date();
    if (since >= until) {
      throw new DomainError(ErrorCode.ValidationFailed, 'since must be before until', {
        fields: [{ field: 'since', message: 'must be before until' }],
      });
    }
    const endpoint = await this.endpoints.find(command.workspaceId, command.endpointId);
    if (!endpoint) throw new DomainError(ErrorCode.NotFound, `endpoint ${command.endpointId} not found`);
    const params = { since: since.toISOString(), until: until.toISOString() };
    const job = await this.jobs.start(
      {
        kind: 'recover',
        workspaceId: endpoint.workspaceId,
        endpointId: endpoint.id,
        params,
        timeLimitMs,
        maxActive,
      },
      (control) => this.run(endpoint.workspaceId, endpoint.id, since, until, control),
    );
    return toJobView(job);
  }

  private async run(workspaceId: string, endpointId: string, since: Date, until: Date, job: JobControl) {
    await job.setTotal(await this.deliveries.countFailedInWindow(workspaceId, endpointId, since, until));
    // The workspace's retention as the job starts, read once rather than per page.
    const retention = await this.retention.forWorkspace(workspaceId);
    let after: { createdAt: Date; deliveryId: string } | null = null;
    while (!job.signal.aborted) {
      const page = await this.deliveries.failedInWindow(workspaceId, endpointId, since, until, after, PAGE);
      if (page.length === 0) break;
      const sendable = page.filter((d) => d.payload !== null && !payloadRemoval(d, retention));
      await sendInChunks(
        this.requests,
        sendable.map((d) => this.requests.toRequest(d, 'recover')),
      );
      await job.advance(page.length, sendable.length);
      const last = page[page.length - 1];
      after = { createdAt: last.createdAt, deliveryId: last.deliveryId };
      if (page.length < PAGE) break;
    }
  }
}
