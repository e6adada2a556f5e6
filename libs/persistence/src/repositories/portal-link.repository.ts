import { Inject, Injectable } from '@nestjs/common';
import { DataSource, IsNull, MoreThan } from 'typeorm';
import { PortalLinkEntity } from '../entities/portal-link.entity';

@Injectable()
export class PortalLinkRepository {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  insert(link: PortalLinkEntity): Promise<PortalLinkEntity> {
    return this.db.getRepository(PortalLinkEntity).save(link);
  }

  /** Expired and revoked links too, so the caller can say which it is. */
  findByHash(tokenHash: string): Promise<PortalLinkEntity | null> {
    return this.db.getRepository(PortalLinkEntity).findOneBy({ tokenHash });
  }

  /** A live link by id (not a secret), for the frame origins of the portal page it opens. */
  findLive(id: string, now: Date): Promise<PortalLinkEntity | null> {
    return this.db
      .getRepository(PortalLinkEntity)
      .findOneBy({ id, revokedAt: IsNull(), expiresAt: MoreThan(now) });
  }

  /** Links neither revoked nor expired, newest first. */
  listLive(workspaceId: string, now: Date): Promise<PortalLinkEntity[]> {
    return this.db.getRepository(PortalLinkEntity).find({
      where: { workspaceId, revokedAt: IsNull(), expiresAt: MoreThan(now) },
      order: { createdAt: 'DESC', id: 'DESC' },
    });
  }

  /** False when the workspace has no such link still unrevoked. */
  async revoke(workspaceId: string, id: string, now: Date): Promise<boolean> {
    const result = await this.db
      .getRepository(PortalLinkEntity)
      .update({ workspaceId, id, revokedAt: IsNull() }, { revokedAt: now });
    return (result.affected ?? 0) > 0;
  }
}
