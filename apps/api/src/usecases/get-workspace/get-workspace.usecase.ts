import { Inject, Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '@herald/contracts';
import { WorkspaceRepository } from '@herald/persistence';
import type { WorkspaceView } from '../../dto/workspace.dto';

@Injectable()
export class GetWorkspaceUseCase {
  constructor(@Inject(WorkspaceRepository) private readonly workspaces: WorkspaceRepository) {}

  async execute(command: { workspaceId: string }): Promise<WorkspaceView> {
    const workspace = await this.workspaces.find(command.workspaceId);
    if (!workspace) throw new DomainError(ErrorCode.NotFound, `workspace ${command.workspaceId} not found`);
    return { id: workspace.id, name: workspace.name, createdAt: workspace.createdAt.toISOString() };
  }
}
