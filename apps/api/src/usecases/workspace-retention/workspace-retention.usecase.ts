import { Inject, Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '@herald/contracts';
import { WorkspaceRepository } from '@herald/persistence';
import { checkRetentionOverride, effectiveRetention } from '@herald/retention';
import { API_SETTINGS, type ApiSettings } from '../../api.settings';
import type { WorkspaceRetentionView } from '../../dto/workspace.dto';

/** Reads and replaces a workspace's own delivery-log retention, within the operator's bounds. */
@Injectable()
export class WorkspaceRetentionUseCase {
  constructor(
    @Inject(WorkspaceRepository) private readonly workspaces: WorkspaceRepository,
    @Inject(API_SETTINGS) private readonly settings: ApiSettings,
  ) {}

  async get(workspaceId: string): Promise<WorkspaceRetentionView> {
    const workspace = await this.workspaces.find(workspaceId);
    if (!workspace) throw notFound(workspaceId);
    return this.view(workspace.retentionDays, workspace.bodyRetentionDays);
  }

  /** null (or absent) for either value: back to the operator's default. */
  async set(
    workspaceId: string,
    override: { retentionDays: number | null; bodyRetentionDays: number | null },
  ): Promise<WorkspaceRetentionView> {
    const problem = checkRetentionOverride(this.settings.retention, {
      recordsDays: override.retentionDays,
      bodiesDays: override.bodyRetentionDays,
    });
    if (problem) {
      throw new DomainError(ErrorCode.RetentionOutOfBounds, problem.message, {
        field: problem.field,
        bounds: problem.bounds,
      });
    }
    if (!(await this.workspaces.setRetention(workspaceId, override))) throw notFound(workspaceId);
    return this.view(override.retentionDays, override.bodyRetentionDays);
  }

  private view(retentionDays: number | null, bodyRetentionDays: number | null): WorkspaceRetentionView {
    const { minDays, maxDays } = this.settings.retention;
    const effective = effectiveRetention(this.settings.retention, {
      recordsDays: retentionDays,
      bodiesDays: bodyRetentionDays,
    });
    return {
      retentionDays,
      bodyRetentionDays,
      effective: { retentionDays: effective.recordsDays, bodyRetentionDays: effective.bodiesDays },
      bounds: { minDays, maxDays },
    };
  }
}

const notFound = (id: string) => new DomainError(ErrorCode.NotFound, `workspace ${id} not found`);
