import { Inject, Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '@herald/contracts';
import { DeliveryQueryRepository, EndpointRepository } from '@herald/persistence';
import { parseTime } from '../../http/page-cursor';
import { JobRunner, toJobView } from '../../jobs/job.runner';
import { DeliveryRequestProducer } from '../retry-delivery/delivery-request.producer';

const PAGE = 500;

/** Starts a job re-sending the endpoint's failed deliveries requested in [since, until). */
@Injectable()
export class RecoverEndpointUseCase {
  constructor(
    @Inject(EndpointRepository) private readonly endpoints: EndpointRepository,
    @Inject(DeliveryQueryRepository) private readonly deliveries: DeliveryQueryRepository,
    @Inject(DeliveryRequestProducer) private readonly requests: DeliveryRequestProducer,
    @Inject(JobRunner) private readonly jobs: JobRunner,
  ) {}

  async execute(command: { workspaceId: string; endpointId: string; since: string; until?: string }) {
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
      'recover',
      endpoint.workspaceId,
      endpoint.id,
      params,
      async (progress) => {
        await progress.setTotal(
          await this.deliveries.countFailedInWindow(endpoint.workspaceId, endpoint.id, since, until),
        );
        let after: { createdAt: Date; deliveryId: string } | null = null;
        while (progress.running) {
          const page = await this.deliveries.failedInWindow(
            endpoint.workspaceId,
            endpoint.id,
            since,
            until,
            after,
            PAGE,
          );
          if (page.length === 0) break;
          const sendable = page.filter((d) => d.payload !== null);
          await this.requests.send(sendable.map((d) => this.requests.toRequest(d, 'recover')));
          await progress.advance(page.length, sendable.length);
          const last = page[page.length - 1];
          after = { createdAt: last.createdAt, deliveryId: last.deliveryId };
          if (page.length < PAGE) break;
        }
      },
    );
    return toJobView(job);
  }
}
