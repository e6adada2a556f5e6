import { Inject, Injectable } from '@nestjs/common';
import { DeliveryQueryRepository, type DeliveryStatus } from '@herald/persistence';
import { API_ENV, type ApiEnv } from '../../api.env';
import type { DeliveryListView } from '../../dto/delivery.dto';
import { decodeCursor, encodeCursor, parseTime } from '../../http/page-cursor';
import { resolvePageLimit, takePage } from '../../http/pagination';
import { WorkspaceRetentionService } from '../../retention/workspace-retention.service';
import { toDeliveryView } from './delivery.view';

export interface ListDeliveriesCommand {
  workspaceId: string;
  endpointId?: string;
  /** Only deliveries to these endpoints (a portal link's); null or absent: all. */
  endpointIds?: readonly string[] | null;
  eventId?: string;
  status?: DeliveryStatus;
  eventType?: string;
  /** false: hide test pings; true: only them. */
  test?: boolean;
  since?: string;
  until?: string;
  limit?: number;
  cursor?: string;
}

/** Newest first, keyset-paginated; reads only the projections. */
@Injectable()
export class ListDeliveriesUseCase {
  constructor(
    @Inject(DeliveryQueryRepository) private readonly deliveries: DeliveryQueryRepository,
    @Inject(API_ENV) private readonly env: ApiEnv,
    @Inject(WorkspaceRetentionService) private readonly retention: WorkspaceRetentionService,
  ) {}

  async execute(command: ListDeliveriesCommand): Promise<DeliveryListView> {
    const limit = resolvePageLimit(command.limit, this.env);
    const scope = command.endpointIds ?? undefined;
    if (scope && (scope.length === 0 || (command.endpointId && !scope.includes(command.endpointId)))) {
      return { data: [], nextCursor: null };
    }
    const { recordsSince } = await this.retention.forWorkspace(command.workspaceId);
    const rows = await this.deliveries.list(
      {
        workspaceId: command.workspaceId,
        endpointId: command.endpointId,
        endpointIds: scope,
        eventId: command.eventId,
        status: command.status,
        eventType: command.eventType,
        test: command.test,
        since: parseTime(command.since, 'since'),
        until: parseTime(command.until, 'until'),
        limit: limit + 1,
        after: command.cursor ? decodeCursor(command.cursor) : undefined,
      },
      recordsSince,
    );
    const { page, more } = takePage(rows, limit);
    const last = page[page.length - 1];
    return {
      data: page.map(toDeliveryView),
      nextCursor: more && last ? encodeCursor(last.createdAt, last.deliveryId) : null,
    };
  }
}
