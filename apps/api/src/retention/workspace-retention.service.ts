import { Inject, Injectable } from '@nestjs/common';
import { WorkspaceRepository } from '@herald/persistence';
import { effectiveRetention, readCutoffs, type EffectiveRetention } from '@herald/retention';
import { API_SETTINGS, type ApiSettings } from '../api.settings';

export interface WorkspaceRetentionView {
  effective: EffectiveRetention;
  /** Records older than this are past retention: reads leave them out even before maintenance drops them. */
  recordsSince: Date;
  now: Date;
}

/** The retention that applies to one workspace's log now: the operator's setting or its override. */
@Injectable()
export class WorkspaceRetentionService {
  constructor(
    @Inject(API_SETTINGS) private readonly settings: ApiSettings,
    @Inject(WorkspaceRepository) private readonly workspaces: WorkspaceRepository,
  ) {}

  async forWorkspace(workspaceId: string, now = new Date()): Promise<WorkspaceRetentionView> {
    const workspace = await this.workspaces.find(workspaceId);
    const effective = effectiveRetention(this.settings.retention, {
      recordsDays: workspace?.retentionDays ?? null,
      bodiesDays: workspace?.bodyRetentionDays ?? null,
    });
    return { effective, recordsSince: readCutoffs(effective, now).recordsSince, now };
  }
}
