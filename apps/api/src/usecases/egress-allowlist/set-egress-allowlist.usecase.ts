import { Inject, Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '@herald/contracts';
import { validateWorkspaceAllowlist } from '@herald/egress';
import { EndpointRepository, WorkspaceRepository } from '@herald/persistence';
import { API_SETTINGS, type ApiSettings } from '../../api.settings';
import { EndpointSnapshotPublisher } from '../../endpoints/endpoint-snapshot.publisher';

export interface EgressAllowlistView {
  /** CIDRs this workspace's endpoints may reach beside the operator's global allowlist. */
  cidrs: string[];
}

/**
 * Replaces a workspace's egress allowlist. The dispatcher learns it from the endpoint snapshots: every
 * endpoint of the workspace is republished with the new list and version + 1 in the same
 * transaction, so an event that follows this answer is routed and dispatched against it, as after
 * any endpoint change (herald-endpoint-version and the dispatcher's catch-up).
 */
@Injectable()
export class SetEgressAllowlistUseCase {
  constructor(
    @Inject(WorkspaceRepository) private readonly workspaces: WorkspaceRepository,
    @Inject(EndpointRepository) private readonly endpoints: EndpointRepository,
    @Inject(EndpointSnapshotPublisher) private readonly publisher: EndpointSnapshotPublisher,
    @Inject(API_SETTINGS) private readonly settings: ApiSettings,
  ) {}

  async execute(command: { workspaceId: string; cidrs: string[] }): Promise<EgressAllowlistView> {
    const cidrs = validateWorkspaceAllowlist(command.cidrs, this.settings.workspaceEgressCidrs);
    return this.endpoints.transaction(async (manager) => {
      // The workspace row first, then its endpoints: the order endpoint creation locks them in.
      if (!(await this.workspaces.setEgressAllowCidrs(manager, command.workspaceId, cidrs))) {
        throw new DomainError(ErrorCode.NotFound, `workspace ${command.workspaceId} not found`);
      }
      const endpoints = await this.endpoints.lockAllInWorkspace(manager, command.workspaceId);
      const now = new Date();
      for (const endpoint of endpoints) {
        endpoint.version += 1;
        endpoint.updatedAt = now;
        await this.endpoints.save(manager, endpoint);
      }
      await this.publisher.publishAll(manager, endpoints, cidrs);
      return { cidrs };
    });
  }
}
