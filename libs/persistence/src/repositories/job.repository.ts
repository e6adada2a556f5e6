import { Inject, Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { JobEntity, type JobState } from '../entities/job.entity';
import { lockWorkspaceRow } from './workspace.repository';

type Counters = Pick<JobEntity, 'processed' | 'produced'>;

@Injectable()
export class JobRepository {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  /**
   * Inserts the job if `admit` accepts the workspace's jobs still queued or running. The workspace's
   * row lock serializes this per workspace, so two starts cannot both take its last place. Returns
   * null when refused.
   */
  insertIfAdmitted(
    job: JobEntity,
    admit: (active: Pick<JobEntity, 'id' | 'deadlineAt'>[]) => boolean,
  ): Promise<JobEntity | null> {
    return this.db.transaction('READ COMMITTED', async (manager) => {
      await lockWorkspaceRow(manager, job.workspaceId);
      const active = await manager.getRepository(JobEntity).find({
        select: { id: true, deadlineAt: true },
        where: { workspaceId: job.workspaceId, state: In(['queued', 'running']) },
      });
      return admit(active) ? manager.getRepository(JobEntity).save(job) : null;
    });
  }

  find(workspaceId: string, id: string): Promise<JobEntity | null> {
    return this.db.getRepository(JobEntity).findOneBy({ workspaceId, id });
  }

  /** A workspace's jobs, newest first. */
  list(workspaceId: string, limit: number, endpointIds?: readonly string[]): Promise<JobEntity[]> {
    const where = endpointIds ? { workspaceId, endpointId: In([...endpointIds]) } : { workspaceId };
    return this.db
      .getRepository(JobEntity)
      .find({ where, order: { createdAt: 'DESC', id: 'DESC' }, take: limit });
  }

  /** Progress of a job still running; a job that already ended is left as it ended. */
  async updateRunning(id: string, changes: Partial<Counters & Pick<JobEntity, 'total'>>): Promise<void> {
    await this.db
      .getRepository(JobEntity)
      .update({ id, state: 'running' }, { ...changes, updatedAt: new Date() });
  }

  /**
   * Ends a running job, once: the compare-and-set keeps a job that a sweep already failed from coming
   * back with another terminal state.
   */
  async finish(
    id: string,
    end: Counters & { state: Exclude<JobState, 'running' | 'queued'> } & Pick<JobEntity, 'error' | 'result'>,
  ): Promise<boolean> {
    const now = new Date();
    const result = await this.db
      .getRepository(JobEntity)
      // jsonb `result` is outside TypeORM's partial-entity typing
      .update({ id, state: In(['running', 'queued']) }, {
        ...end,
        finishedAt: now,
        updatedAt: now,
      } as object);
    return (result.affected ?? 0) > 0;
  }

  /**
   * Records a cancel request on a job still running; false when it already ended. updated_at stays the
   * heartbeat's, so a job whose process is gone is still swept.
   */
  async requestCancel(workspaceId: string, id: string): Promise<boolean> {
    const result: [unknown, number] = await this.db.query(
      `UPDATE jobs SET cancel_requested_at = COALESCE(cancel_requested_at, now())
        WHERE workspace_id = $1 AND id = $2 AND state IN ('queued', 'running')`,
      [workspaceId, id],
    );
    return (result[1] ?? 0) > 0;
  }

  /** Of these running jobs, the ones somebody asked to cancel. */
  async cancelRequested(ids: string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows: { id: string }[] = await this.db.query(
      `SELECT id FROM jobs WHERE id = ANY($1::uuid[]) AND cancel_requested_at IS NOT NULL`,
      [ids],
    );
    return rows.map((r) => r.id);
  }

  /** Keeps running jobs' updated_at fresh, so other API instances can tell they are alive. */
  async touch(ids: string[]): Promise<void> {
    if (ids.length > 0)
      await this.db.query(`UPDATE jobs SET updated_at = now() WHERE id = ANY($1::uuid[])`, [ids]);
  }

  /**
   * Jobs whose process stopped (no heartbeat since `staleBefore`) end, so none looks alive forever: as
   * cancelled when a cancel was asked for, failed otherwise. Jobs of live API instances keep beating.
   */
  async failInterrupted(staleBefore: Date): Promise<number> {
    const result: [unknown, number] = await this.db.query(
      `UPDATE jobs
          SET state = CASE WHEN cancel_requested_at IS NULL THEN 'failed' ELSE 'cancelled' END,
              error = CASE WHEN cancel_requested_at IS NULL THEN 'interrupted by a restart' END,
              finished_at = now(), updated_at = now()
        WHERE state IN ('queued', 'running') AND updated_at < $1`,
      [staleBefore],
    );
    return result[1] ?? 0;
  }
}
