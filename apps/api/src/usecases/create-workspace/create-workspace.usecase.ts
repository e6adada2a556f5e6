import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { WorkspaceRepository } from '@herald/persistence';
import type { WorkspaceView } from '../../dto/workspace.dto';

export interface CreateWorkspaceCommand {
  id?: string;
  name: string;
}

@Injectable()
export class CreateWorkspaceUseCase {
  constructor(@Inject(WorkspaceRepository) private readonly workspaces: WorkspaceRepository) {}

  /** Creating an id that exists returns the existing workspace (created=false). */
  async execute(command: CreateWorkspaceCommand): Promise<{ workspace: WorkspaceView; created: boolean }> {
    const { workspace, created } = await this.workspaces.create(command.id ?? randomUUID(), command.name);
    return {
      workspace: { id: workspace.id, name: workspace.name, createdAt: workspace.createdAt.toISOString() },
      created,
    };
  }
}
