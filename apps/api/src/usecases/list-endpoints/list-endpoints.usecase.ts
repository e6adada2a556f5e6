import { Inject, Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '@herald/contracts';
import { EndpointRepository } from '@herald/persistence';
import { API_ENV, type ApiEnv } from '../../api.env';
import type { EndpointListView } from '../../dto/endpoint.dto';
import { toEndpointView } from '../../endpoints/endpoint.view';
import { resolvePageLimit, takePage } from '../../http/pagination';
import { isUuid } from '../delete-endpoint/delete-endpoint.usecase';

export interface ListEndpointsCommand {
  workspaceId: string;
  limit?: number;
  cursor?: string;
  /** Only these endpoints (a portal link's); null or absent: all. */
  endpointIds?: readonly string[] | null;
}

/** A workspace's endpoints by id, keyset-paginated; header values are never shown (toEndpointView). */
@Injectable()
export class ListEndpointsUseCase {
  constructor(
    @Inject(EndpointRepository) private readonly endpoints: EndpointRepository,
    @Inject(API_ENV) private readonly env: ApiEnv,
  ) {}

  async execute(command: ListEndpointsCommand): Promise<EndpointListView> {
    const limit = resolvePageLimit(command.limit, this.env);
    const after = command.cursor ? Buffer.from(command.cursor, 'base64url').toString('utf8') : undefined;
    if (after !== undefined && !isUuid(after)) {
      throw new DomainError(ErrorCode.ValidationFailed, 'cursor is not one this API returned', {
        fields: [{ field: 'cursor', message: 'not a cursor this API returned' }],
      });
    }
    if (command.endpointIds?.length === 0) return { data: [], nextCursor: null };
    const rows = await this.endpoints.list({
      workspaceId: command.workspaceId,
      limit: limit + 1,
      after,
      ids: command.endpointIds ?? undefined,
    });
    const { page, more } = takePage(rows, limit);
    const data = await Promise.all(
      page.map(async (e) => toEndpointView(e, await this.endpoints.secrets(e.id))),
    );
    return {
      data,
      nextCursor: more ? Buffer.from(page[page.length - 1].id).toString('base64url') : null,
    };
  }
}
