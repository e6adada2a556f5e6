import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, In } from 'typeorm';
import type { EndpointSnapshot } from '@herald/contracts';
import { EndpointEntity } from '../entities/endpoint.entity';
import { SigningSecretEntity } from '../entities/signing-secret.entity';
import { fromEndpointSnapshot } from '../endpoint-snapshot.mapper';

export interface EndpointPageQuery {
  /** Only these endpoints (a portal link's). */
  ids?: readonly string[];
  workspaceId: string;
  limit: number;
  /** Id of the last endpoint of the previous page. */
  after?: string;
}

/** Endpoints and their sealed signing secrets. Writers pass the transaction's manager. */
@Injectable()
export class EndpointRepository {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction('READ COMMITTED', work);
  }

  find(
    workspaceId: string,
    id: string,
    manager: EntityManager = this.db.manager,
  ): Promise<EndpointEntity | null> {
    return manager.getRepository(EndpointEntity).findOneBy({ workspaceId, id });
  }

  /** Locks the row for the rest of the transaction, so concurrent changes get consecutive versions. */
  lock(manager: EntityManager, workspaceId: string, id: string): Promise<EndpointEntity | null> {
    return manager
      .getRepository(EndpointEntity)
      .createQueryBuilder('e')
      .setLock('pessimistic_write')
      .where('e.workspace_id = :workspaceId AND e.id = :id', { workspaceId, id })
      .getOne();
  }

  /** Locks every endpoint of the workspace (in id order) for the rest of the transaction. */
  lockAllInWorkspace(manager: EntityManager, workspaceId: string): Promise<EndpointEntity[]> {
    return manager
      .getRepository(EndpointEntity)
      .createQueryBuilder('e')
      .setLock('pessimistic_write')
      .where('e.workspace_id = :workspaceId', { workspaceId })
      .orderBy('e.id')
      .getMany();
  }

  /** How many endpoints the workspace has, as this transaction sees them. */
  async countInWorkspace(manager: EntityManager, workspaceId: string): Promise<number> {
    return manager.getRepository(EndpointEntity).countBy({ workspaceId });
  }

  findByUrl(manager: EntityManager, workspaceId: string, url: string): Promise<EndpointEntity | null> {
    return manager.getRepository(EndpointEntity).findOneBy({ workspaceId, url });
  }

  list(query: EndpointPageQuery): Promise<EndpointEntity[]> {
    const qb = this.db
      .getRepository(EndpointEntity)
      .createQueryBuilder('e')
      .where('e.workspace_id = :ws', { ws: query.workspaceId })
      .orderBy('e.id', 'ASC')
      .take(query.limit);
    if (query.after) qb.andWhere('e.id > :after', { after: query.after });
    if (query.ids) qb.andWhere('e.id IN (:...ids)', { ids: [...query.ids] });
    return qb.getMany();
  }

  secrets(endpointId: string, manager: EntityManager = this.db.manager): Promise<SigningSecretEntity[]> {
    return manager
      .getRepository(SigningSecretEntity)
      .find({ where: { endpointId }, order: { createdAt: 'DESC' } });
  }

  save(manager: EntityManager, endpoint: EndpointEntity): Promise<EndpointEntity> {
    return manager.getRepository(EndpointEntity).save(endpoint);
  }

  saveSecrets(manager: EntityManager, secrets: SigningSecretEntity[]): Promise<SigningSecretEntity[]> {
    return manager.getRepository(SigningSecretEntity).save(secrets);
  }

  async removeSecrets(manager: EntityManager, ids: string[]): Promise<void> {
    if (ids.length > 0) await manager.getRepository(SigningSecretEntity).delete({ id: In(ids) });
  }

  async remove(manager: EntityManager, id: string): Promise<void> {
    await manager.getRepository(EndpointEntity).delete({ id });
  }

  /**
   * Applies a snapshot read from `herald.subscriptions` (e.g. one the projector reads back)
   * to the stored row unless that row is the same version or newer. The API owns the rows: a snapshot
   * never inserts one, so an older snapshot projected after a delete cannot bring the endpoint back.
   * Returns whether it changed anything.
   */
  async applySnapshot(snapshot: EndpointSnapshot): Promise<boolean> {
    const { endpoint: e, secrets } = fromEndpointSnapshot(snapshot);
    try {
      return await this.db.transaction(async (manager) => {
        // The version guard sits in the update, so it also holds against a concurrent API transaction.
        const [applied]: [unknown[], number] = await manager.query(
          `UPDATE endpoints SET version = $3, url = $4, event_types = $5, filter = $6, description = $7,
             payload_profile = $8, signature_scheme = $9, signature_header = $10, headers = $11,
             timeout_ms = $12, max_in_flight = $13, rate_limit_per_second = $14, retry_schedule = $15,
             fifo = $16, disabled = $17, disabled_reason = $18, updated_at = $19, sealed_headers = $20,
             event_version = $21, line = $22
           WHERE id = $1 AND workspace_id = $2 AND version < $3
           RETURNING id`,
          [
            e.id,
            e.workspaceId,
            e.version,
            e.url,
            e.eventTypes,
            e.filter === null ? null : JSON.stringify(e.filter),
            e.description,
            e.payloadProfile,
            e.signatureScheme,
            e.signatureHeader,
            JSON.stringify(e.legacyHeaders),
            e.timeoutMs,
            e.maxInFlight,
            e.rateLimitPerSecond,
            e.retrySchedule === null ? null : JSON.stringify(e.retrySchedule),
            e.fifo,
            e.disabled,
            e.disabledReason,
            e.updatedAt,
            JSON.stringify(e.sealedHeaders),
            e.eventVersion,
            e.line,
          ],
        );
        if (applied.length === 0) return false;
        const keep = secrets.map((secret) => secret.id);
        await manager.query(
          `DELETE FROM signing_secrets WHERE endpoint_id = $1 AND NOT (id = ANY($2::uuid[]))`,
          [e.id, keep],
        );
        // Public keys are not in the snapshot; the stored ones are kept.
        for (const secret of secrets) {
          await manager.query(
            `INSERT INTO signing_secrets (id, endpoint_id, workspace_id, ciphertext, public_key, created_at, expires_at)
             VALUES ($1, $2, $3, $4, NULL, $5, $6)
             ON CONFLICT (id) DO UPDATE SET ciphertext = EXCLUDED.ciphertext, expires_at = EXCLUDED.expires_at`,
            [
              secret.id,
              secret.endpointId,
              secret.workspaceId,
              secret.ciphertext,
              secret.createdAt,
              secret.expiresAt,
            ],
          );
        }
        return true;
      });
    } catch (error) {
      // A replay can meet an older endpoint whose URL a newer one now holds; the newer one wins.
      if ((error as { code?: string }).code === '23505') return false;
      throw error;
    }
  }

  /** A tombstone on `herald.subscriptions`. */
  async applyTombstone(id: string): Promise<void> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return;
    await this.db.query(`DELETE FROM endpoints WHERE id = $1`, [id]);
  }
}
