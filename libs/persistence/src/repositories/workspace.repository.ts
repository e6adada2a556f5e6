import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { WorkspaceEntity } from '../entities/workspace.entity';

@Injectable()
export class WorkspaceRepository {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  /** Inserts unless the id exists; returns the stored row and whether it was created now. */
  async create(id: string, name: string): Promise<{ workspace: WorkspaceEntity; created: boolean }> {
    const rows: unknown[] = await this.db.query(
      `INSERT INTO workspaces (id, name) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING RETURNING id`,
      [id, name],
    );
    const workspace = await this.db.getRepository(WorkspaceEntity).findOneByOrFail({ id });
    return { workspace, created: rows.length === 1 };
  }

  find(id: string): Promise<WorkspaceEntity | null> {
    return this.db.getRepository(WorkspaceEntity).findOneBy({ id });
  }

  list(limit: number): Promise<WorkspaceEntity[]> {
    return this.db.getRepository(WorkspaceEntity).find({ order: { createdAt: 'ASC' }, take: limit });
  }
}
