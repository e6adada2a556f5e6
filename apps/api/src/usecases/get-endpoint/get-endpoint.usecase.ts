import { Inject, Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '@herald/contracts';
import { EndpointRepository } from '@herald/persistence';
import type { Principal } from '../../auth/principal';
import type { EndpointView } from '../../dto/endpoint.dto';
import { forPrincipal, toEndpointView } from '../../endpoints/endpoint.view';

/** One endpoint as the principal may see it. */
@Injectable()
export class GetEndpointUseCase {
  constructor(@Inject(EndpointRepository) private readonly endpoints: EndpointRepository) {}

  async execute(command: {
    workspaceId: string;
    endpointId: string;
    principal: Principal;
  }): Promise<EndpointView> {
    const endpoint = await this.endpoints.find(command.workspaceId, command.endpointId);
    if (!endpoint) throw new DomainError(ErrorCode.NotFound, `endpoint ${command.endpointId} not found`);
    return forPrincipal(
      toEndpointView(endpoint, await this.endpoints.secrets(endpoint.id)),
      command.principal,
    );
  }
}
