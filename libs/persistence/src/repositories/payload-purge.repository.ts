import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { BodyRemovalReason } from '../entities/delivery.entity';

/** Which deliveries a purge erases; mirrors @herald/jobs' PurgeSelector without depending on it. */
export type PurgeScope =
  { by: 'event'; eventId: string } | { by: 'endpoint'; endpointId: string } | { by: 'before'; before: Date };

export interface PurgePageKey {
  createdAt: Date;
  deliveryId: string;
}

export interface PurgedCounts {
  deliveries: number;
  attempts: number;
  bytes: number;
}

/**
 * Erases stored bodies in pages the caller plans: it reads one page of delivery keys, then erases
 * that page in one short transaction. Every statement filters by workspace and, where the selector
 * has one, by the time column, so a time-partitioned table only reads the partitions concerned.
 */
@Injectable()
export class PayloadPurgeRepository {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async count(workspaceId: string, scope: PurgeScope): Promise<number> {
    const { sql, params } = scopeFilter(workspaceId, scope);
    const [row] = (await this.db.query(`SELECT count(*)::int AS n FROM deliveries WHERE ${sql}`, params)) as {
      n: number;
    }[];
    return row.n;
  }

  /** The next page of matching deliveries, oldest first, after `after`. */
  async page(
    workspaceId: string,
    scope: PurgeScope,
    after: PurgePageKey | null,
    limit: number,
  ): Promise<PurgePageKey[]> {
    const { sql, params } = scopeFilter(workspaceId, scope);
    const keyset = after
      ? ` AND (created_at, delivery_id) > ($${params.length + 1}, $${params.length + 2})`
      : '';
    const rows = (await this.db.query(
      `SELECT delivery_id, created_at FROM deliveries WHERE ${sql}${keyset}
        ORDER BY created_at, delivery_id LIMIT ${Math.trunc(limit)}`,
      after ? [...params, after.createdAt, after.deliveryId] : params,
    )) as { delivery_id: string; created_at: Date }[];
    return rows.map((r) => ({ deliveryId: r.delivery_id, createdAt: new Date(r.created_at) }));
  }

  /**
   * Removes the payloads of these deliveries and their attempts' response bodies and headers (only
   * attempts started before `before`, when given), marking when and why. A removed payload leaves a
   * NULL row behind so a replayed request cannot store it again; attempts projected later store no body
   * (the projector checks the delivery's marker). Rows already marked are left as they are and not
   * counted. Locks the deliveries in id order first, the projector's lock order.
   */
  erase(
    workspaceId: string,
    keys: PurgePageKey[],
    removal: { at: Date; reason: BodyRemovalReason; before?: Date },
  ): Promise<PurgedCounts> {
    const sorted = [...keys].sort((a, b) =>
      a.deliveryId < b.deliveryId ? -1 : a.deliveryId > b.deliveryId ? 1 : 0,
    );
    if (sorted.length === 0) return Promise.resolve({ deliveries: 0, attempts: 0, bytes: 0 });
    const ids = sorted.map((k) => k.deliveryId);
    const createdAt = sorted.map((k) => k.createdAt);
    return this.db.transaction('READ COMMITTED', async (manager) => {
      await manager.query(
        `SELECT 1 FROM deliveries d JOIN unnest($2::text[], $3::timestamptz[]) AS k(delivery_id, created_at)
           ON d.delivery_id = k.delivery_id AND d.created_at = k.created_at
         WHERE d.workspace_id = $1 ORDER BY d.delivery_id FOR UPDATE OF d`,
        [workspaceId, ids, createdAt],
      );
      const [row] = (await manager.query(ERASE, [
        workspaceId,
        ids,
        createdAt,
        removal.at,
        removal.reason,
        removal.before ?? null,
      ])) as { deliveries: number; attempts: number; bytes: string }[];
      return { deliveries: row.deliveries, attempts: row.attempts, bytes: Number(row.bytes) };
    });
  }
}

/** Marks and removes in one statement; the byte counts read the bodies as they were before it. */
const ERASE = `
WITH keys AS (SELECT * FROM unnest($2::text[], $3::timestamptz[]) AS k(delivery_id, created_at)),
marked AS (
  UPDATE deliveries d SET payload_removed_at = $4, payload_removed_reason = $5
  FROM keys k
  WHERE d.workspace_id = $1 AND d.delivery_id = k.delivery_id AND d.created_at = k.created_at
    AND d.payload_removed_at IS NULL
  RETURNING d.delivery_id, d.created_at
),
old_payloads AS (
  SELECT COALESCE(sum(octet_length(p.payload)), 0) AS bytes
  FROM delivery_payloads p JOIN marked m USING (delivery_id, created_at)
),
tombstones AS (
  INSERT INTO delivery_payloads (delivery_id, created_at, payload)
  SELECT delivery_id, created_at, NULL FROM marked ORDER BY delivery_id
  ON CONFLICT (delivery_id, created_at) DO UPDATE SET payload = NULL
),
stripped AS (
  UPDATE attempts a SET response_removed_at = $4, response_removed_reason = $5
  FROM keys k
  WHERE a.workspace_id = $1 AND a.delivery_id = k.delivery_id AND a.delivery_created_at = k.created_at
    AND a.response_status IS NOT NULL AND a.response_removed_at IS NULL
    AND ($6::timestamptz IS NULL OR a.started_at < $6)
  RETURNING a.delivery_id, a.delivery_created_at, a.attempt_id
),
removed_bodies AS (
  DELETE FROM attempt_bodies b USING stripped s
  WHERE b.delivery_id = s.delivery_id AND b.delivery_created_at = s.delivery_created_at
    AND b.attempt_id = s.attempt_id
  RETURNING COALESCE(octet_length(b.body), 0) AS bytes
)
SELECT (SELECT count(*) FROM marked)::int AS deliveries, (SELECT count(*) FROM stripped)::int AS attempts,
  ((SELECT bytes FROM old_payloads) + (SELECT COALESCE(sum(bytes), 0) FROM removed_bodies))::bigint AS bytes`;

function scopeFilter(workspaceId: string, scope: PurgeScope): { sql: string; params: unknown[] } {
  switch (scope.by) {
    case 'event':
      return { sql: `workspace_id = $1 AND event_id = $2`, params: [workspaceId, scope.eventId] };
    case 'endpoint':
      return { sql: `workspace_id = $1 AND endpoint_id = $2`, params: [workspaceId, scope.endpointId] };
    case 'before':
      return { sql: `workspace_id = $1 AND created_at < $2`, params: [workspaceId, scope.before] };
  }
}
