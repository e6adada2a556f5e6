import { Inject, Injectable } from '@nestjs/common';
import { WorkspaceRepository } from '@herald/persistence';
import { ApiProperty } from '@nestjs/swagger';
import { API_ENV, type ApiEnv } from '../../api.env';
import { WorkspaceView } from '../../dto/workspace.dto';
import { decodeCursor, encodeCursor } from '../../http/page-cursor';
import { resolvePageLimit, takePage } from '../../http/pagination';

export class WorkspaceListView {
  @ApiProperty({ type: [WorkspaceView] }) data!: WorkspaceView[];
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as cursor for the next page; null at the end',
  })
  nextCursor!: string | null;
}

/** Every workspace, oldest first, keyset-paginated like the other lists (operator only). */
@Injectable()
export class ListWorkspacesUseCase {
  constructor(
    @Inject(WorkspaceRepository) private readonly workspaces: WorkspaceRepository,
    @Inject(API_ENV) private readonly env: ApiEnv,
  ) {}

  async execute(command: { limit?: number; cursor?: string }): Promise<WorkspaceListView> {
    const limit = resolvePageLimit(command.limit, this.env);
    const after = command.cursor ? decodeCursor(command.cursor) : undefined;
    const rows = await this.workspaces.page({
      limit: limit + 1,
      after: after ? { createdAt: after.createdAt, id: after.deliveryId } : undefined,
    });
    const { page, more } = takePage(rows, limit);
    const last = page[page.length - 1];
    return {
      data: page.map((w) => ({ id: w.id, name: w.name, createdAt: w.createdAt.toISOString() })),
      nextCursor: more && last ? encodeCursor(last.createdAt, last.id) : null,
    };
  }
}
