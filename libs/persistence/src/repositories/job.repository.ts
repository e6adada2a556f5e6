import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { JobEntity } from '../entities/job.entity';

@Injectable()
export class JobRepository {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  insert(job: JobEntity): Promise<JobEntity> {
    return this.db.getRepository(JobEntity).save(job);
  }

  find(workspaceId: string, id: string): Promise<JobEntity | null> {
    return this.db.getRepository(JobEntity).findOneBy({ workspaceId, id });
  }

  async update(id: string, changes: Partial<Omit<JobEntity, 'id'>>): Promise<void> {
    await this.db.getRepository(JobEntity).update({ id }, { ...changes, updatedAt: new Date() } as object);
  }

  /** Keeps running jobs' updated_at fresh, so other API instances can tell they are alive. */
  async touch(ids: string[]): Promise<void> {
    if (ids.length > 0)
      await this.db.query(`UPDATE jobs SET updated_at = now() WHERE id = ANY($1::uuid[])`, [ids]);
  }

  /**
   * Jobs whose process stopped (no heartbeat since `staleBefore`) are marked failed, so none looks alive
   * forever. Jobs of other live API instances keep beating and are left alone.
   */
  async failInterrupted(staleBefore: Date): Promise<number> {
    const result = await this.db
      .getRepository(JobEntity)
      .createQueryBuilder()
      .update()
      .set({
        state: 'failed',
        error: 'interrupted by a restart',
        finishedAt: new Date(),
        updatedAt: new Date(),
      })
      .where(`state IN ('queued', 'running') AND updated_at < :staleBefore`, { staleBefore })
      .execute();
    return result.affected ?? 0;
  }
}
