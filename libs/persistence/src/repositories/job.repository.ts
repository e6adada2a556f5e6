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

  /** Jobs a stopped process left running; they are marked failed on start-up so none looks alive forever. */
  async failInterrupted(): Promise<number> {
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
      .where(`state IN ('queued', 'running')`)
      .execute();
    return result.affected ?? 0;
  }
}
