import { Inject, Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '@herald/contracts';
import { EndpointRepository } from '@herald/persistence';
import type { EndpointView } from '../../dto/endpoint.dto';
import { toEndpointView } from '../../endpoints/endpoint.view';

/** One endpoint; header values are never shown (toEndpointView). */
@Injectable()
export class GetEndpointUseCase {
  constructor(@Inject(EndpointRepository) private readonly endpoints: EndpointRepository) {}

  async execute(command: { workspaceId: string; endpointId: string }): Promise<EndpointView> {
    const endpoint = await this.endpoints.find(command.workspaceId, command.endpointId);
    if (!endpoint) throw new DomainError(ErrorCode.NotFound, `endpoint ${command.endpointId} not found`);
    return toEndpointView(endpoint, await this.endpoints.secrets(endpoint.id));
  }
}
