import { Inject, Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '@herald/contracts';
import { EndpointHealthRepository } from '@herald/persistence';
import { WorkspaceRetentionService } from '../../retention/workspace-retention.service';
import {
  healthRange,
  toEndpointHealth,
  type EndpointHealth,
  type HealthWindow,
} from './endpoint-health.policy';

export interface EndpointHealthCommand {
  workspaceId: string;
  window: HealthWindow;
  /** null: every endpoint of the workspace (or of what the caller may see). */
  endpointIds: readonly string[] | null;
}

/** Endpoint health over a window, read from the attempts table and the circuit events. */
@Injectable()
export class EndpointHealthUseCase {
  constructor(
    @Inject(EndpointHealthRepository) private readonly health: EndpointHealthRepository,
    @Inject(WorkspaceRetentionService) private readonly retention: WorkspaceRetentionService,
  ) {}

  async one(command: {
    workspaceId: string;
    endpointId: string;
    window: HealthWindow;
  }): Promise<EndpointHealth> {
    const [health] = await this.read({ ...command, endpointIds: [command.endpointId] });
    if (!health) throw new DomainError(ErrorCode.NotFound, `endpoint ${command.endpointId} not found`);
    return health;
  }

  async all(command: EndpointHealthCommand): Promise<{ data: EndpointHealth[] }> {
    return { data: await this.read(command) };
  }

  private async read(command: EndpointHealthCommand): Promise<EndpointHealth[]> {
    if (command.endpointIds !== null && command.endpointIds.length === 0) return [];
    const { recordsSince, now } = await this.retention.forWorkspace(command.workspaceId);
    const range = healthRange(command.window, now);
    const rows = await this.health.read({
      workspaceId: command.workspaceId,
      endpointIds: command.endpointIds,
      ...range,
      recordsSince,
    });
    return rows.map((row) => toEndpointHealth(row, command.window, range));
  }
}
