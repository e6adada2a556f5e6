import { Inject, Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '@herald/contracts';
import { EndpointRepository } from '@herald/persistence';
import { DeleteEndpointUseCase } from '../delete-endpoint/delete-endpoint.usecase';

/**
 * Unregistering on shutdown (GudDesk agents): deletes the workspace's endpoint for a URL. The URL is
 * normalised as registration stored it, so the exact string the agent registered finds it.
 */
@Injectable()
export class UnregisterEndpointUseCase {
  constructor(
    @Inject(EndpointRepository) private readonly endpoints: EndpointRepository,
    @Inject(DeleteEndpointUseCase) private readonly remove: DeleteEndpointUseCase,
  ) {}

  async execute(command: { workspaceId: string; url: string }): Promise<void> {
    const url = normalisedUrl(command.url);
    const endpoint = url
      ? await this.endpoints.transaction((manager) =>
          this.endpoints.findByUrl(manager, command.workspaceId, url),
        )
      : null;
    if (!endpoint) throw new DomainError(ErrorCode.NotFound, 'no endpoint is registered for this url');
    await this.remove.execute({ workspaceId: command.workspaceId, endpointId: endpoint.id });
  }
}

function normalisedUrl(url: string): string | null {
  try {
    return new URL(url).toString();
  } catch {
    return null;
  }
}
