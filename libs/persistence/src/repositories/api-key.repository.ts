import { Inject, Injectable } from '@nestjs/common';
import { DataSource, IsNull } from 'typeorm';
import { ApiKeyEntity } from '../entities/api-key.entity';

@Injectable()
export class ApiKeyRepository {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  insert(key: ApiKeyEntity): Promise<ApiKeyEntity> {
    return this.db.getRepository(ApiKeyEntity).save(key);
  }

  findActiveByHash(keyHash: string): Promise<ApiKeyEntity | null> {
    return this.db.getRepository(ApiKeyEntity).findOneBy({ keyHash, revokedAt: IsNull() });
  }

  findActive(workspaceId: string, id: string): Promise<ApiKeyEntity | null> {
    return this.db.getRepository(ApiKeyEntity).findOneBy({ workspaceId, id, revokedAt: IsNull() });
  }

  list(workspaceId: string): Promise<ApiKeyEntity[]> {
    return this.db.getRepository(ApiKeyEntity).find({ where: { workspaceId }, order: { createdAt: 'ASC' } });
  }

  /** Returns false when no active key of that id exists in the workspace. */
  async revoke(workspaceId: string, id: string): Promise<boolean> {
    const result = await this.db
      .getRepository(ApiKeyEntity)
      .update({ workspaceId, id, revokedAt: IsNull() }, { revokedAt: new Date() });
    return (result.affected ?? 0) > 0;
  }
}
