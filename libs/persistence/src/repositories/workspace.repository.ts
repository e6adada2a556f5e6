import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { WorkspaceEntity } from '../entities/workspace.entity';

export interface WorkspaceRetentionOverride {
  workspaceId: string;
  recordsDays: number | null;
  bodiesDays: number | null;
}

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

  /**
   * Workspaces oldest first, keyset-paginated on (created_at, id). created_at is compared at the
   * millisecond a cursor carries (Postgres keeps microseconds), so a page never repeats a row.
   */
  page(query: { limit: number; after?: { createdAt: Date; id: string } }): Promise<WorkspaceEntity[]> {
    const at = `date_trunc('milliseconds', w.created_at)`;
    const qb = this.db
      .getRepository(WorkspaceEntity)
      .createQueryBuilder('w')
      .orderBy(at, 'ASC')
      .addOrderBy('w.id', 'ASC')
      .take(query.limit);
    if (query.after) {
      qb.where(`(${at}, w.id) > (:afterAt, :afterId)`, {
        afterAt: query.after.createdAt,
        afterId: query.after.id,
      });
    }
    return qb.getMany();
  }

  /** The workspace's own egress allowlist; empty when it has none or does not exist. */
  async egressAllowCidrs(id: string, manager: EntityManager = this.db.manager): Promise<string[]> {
    const rows: { egress_allow_cidrs: string[] }[] = await manager.query(
      `SELECT egress_allow_cidrs FROM workspaces WHERE id = $1`,
      [id],
    );
    return rows[0]?.egress_allow_cidrs ?? [];
  }

  /** Replaces the allowlist, holding the row until the transaction ends; false when no such workspace. */
  async setEgressAllowCidrs(manager: EntityManager, id: string, cidrs: string[]): Promise<boolean> {
    const result = await manager
      .createQueryBuilder()
      .update(WorkspaceEntity)
      .set({ egressAllowCidrs: cidrs })
      .where('id = :id', { id })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  /** Sets (or with null, clears) the workspace's retention override; false when no such workspace. */
  async setRetention(
    id: string,
    override: { retentionDays: number | null; bodyRetentionDays: number | null },
  ): Promise<boolean> {
    const result = await this.db
      .createQueryBuilder()
      .update(WorkspaceEntity)
      .set(override)
      .where('id = :id', { id })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  /** Workspaces with a retention override of their own, for log maintenance. */
  async retentionOverrides(): Promise<WorkspaceRetentionOverride[]> {
    const rows: { id: string; retention_days: number | null; body_retention_days: number | null }[] =
      await this.db.query(
        `SELECT id, retention_days, body_retention_days FROM workspaces
          WHERE retention_days IS NOT NULL OR body_retention_days IS NOT NULL ORDER BY id`,
      );
    return rows.map((r) => ({
      workspaceId: r.id,
      recordsDays: r.retention_days,
      bodiesDays: r.body_retention_days,
    }));
  }

  /**
   * Locks the workspace row until the transaction ends, serializing writes that check a per-workspace
   * limit (endpoints, jobs). NO KEY UPDATE: inserts referencing the workspace (FK checks) are not blocked.
   */
  lockForWrites(manager: EntityManager, id: string): Promise<boolean> {
    return lockWorkspaceRow(manager, id);
  }
}

/** See WorkspaceRepository.lockForWrites; false when the workspace does not exist. */
export async function lockWorkspaceRow(manager: EntityManager, id: string): Promise<boolean> {
  const rows: unknown[] = await manager.query(`SELECT id FROM workspaces WHERE id = $1 FOR NO KEY UPDATE`, [
    id,
  ]);
  return rows.length === 1;
}
