import { Inject, Injectable } from '@nestjs/common';
import { DeliveryQueryRepository } from '@herald/persistence';
import { API_ENV, type ApiEnv } from '../../api.env';
import type { OperationalEventListView } from '../../dto/delivery.dto';
import { resolvePageLimit } from '../../http/pagination';
import { WorkspaceRetentionService } from '../../retention/workspace-retention.service';

/** Why an endpoint was disabled or its circuit opened, newest first. */
@Injectable()
export class ListOperationalEventsUseCase {
  constructor(
    @Inject(DeliveryQueryRepository) private readonly deliveries: DeliveryQueryRepository,
    @Inject(API_ENV) private readonly env: ApiEnv,
    @Inject(WorkspaceRetentionService) private readonly retention: WorkspaceRetentionService,
  ) {}

  async execute(command: {
    workspaceId: string;
    endpointId: string;
    limit?: number;
  }): Promise<OperationalEventListView> {
    const limit = resolvePageLimit(command.limit, this.env);
    const { recordsSince } = await this.retention.forWorkspace(command.workspaceId);
    const rows = await this.deliveries.operationalEvents(
      command.workspaceId,
      command.endpointId,
      limit,
      recordsSince,
    );
    return {
      data: rows.map((e) => ({
        type: e.type,
        endpointId: e.endpointId,
        deliveryId: e.deliveryId,
        reason: e.reason,
        at: e.at.toISOString(),
      })),
    };
  }
}
