import { Inject, Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '@herald/contracts';
import { WorkspaceRepository } from '@herald/persistence';
import type { EgressAllowlistView } from './set-egress-allowlist.usecase';

@Injectable()
export class GetEgressAllowlistUseCase {
  constructor(@Inject(WorkspaceRepository) private readonly workspaces: WorkspaceRepository) {}

  async execute(command: { workspaceId: string }): Promise<EgressAllowlistView> {
    if (!(await this.workspaces.find(command.workspaceId))) {
      throw new DomainError(ErrorCode.NotFound, `workspace ${command.workspaceId} not found`);
    }
    return { cidrs: await this.workspaces.egressAllowCidrs(command.workspaceId) };
  }
}
