import { Inject, Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '@herald/contracts';
import { EndpointRepository } from '@herald/persistence';
import { EndpointSnapshotPublisher } from '../../endpoints/endpoint-snapshot.publisher';

/** Deletes the endpoint and its secrets, and publishes a tombstone before commit. */
@Injectable()
export class DeleteEndpointUseCase {
  constructor(
    @Inject(EndpointRepository) private readonly endpoints: EndpointRepository,
    @Inject(EndpointSnapshotPublisher) private readonly publisher: EndpointSnapshotPublisher,
  ) {}

  async execute(command: { workspaceId: string; endpointId: string }): Promise<void> {
    await this.endpoints.transaction(async (manager) => {
      const endpoint = isUuid(command.endpointId)
        ? await this.endpoints.lock(manager, command.workspaceId, command.endpointId)
        : null;
      if (!endpoint) throw new DomainError(ErrorCode.NotFound, `endpoint ${command.endpointId} not found`);
      await this.endpoints.remove(manager, endpoint.id);
      await this.publisher.publishTombstone(endpoint.id);
    });
  }
}

export function isUuid(id: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
}
