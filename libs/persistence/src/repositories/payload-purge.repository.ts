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
   * attempts started before `before`, when given), marking when and why. Rows already marked are left
   * as they are and not counted. Locks the deliveries in id order first, the projector's lock order.
   */
  erase(
    workspaceId: string,
    deliveryIds: string[],
    removal: { at: Date; reason: BodyRemovalReason; before?: Date },
  ): Promise<PurgedCounts> {
    const ids = [...deliveryIds].sort();
    if (ids.length === 0) return Promise.resolve({ deliveries: 0, attempts: 0, bytes: 0 });
    return this.db.transaction('READ COMMITTED', async (manager) => {
      await manager.query(
        `SELECT 1 FROM deliveries WHERE workspace_id = $1 AND delivery_id = ANY($2) ORDER BY delivery_id FOR UPDATE`,
        [workspaceId, ids],
      );
      const deliveries = (await manager.query(
        `UPDATE deliveries d SET payload = NULL, payload_removed_at = $3, payload_removed_reason = $4
           FROM (SELECT delivery_id, COALESCE(octet_length(payload), 0) AS bytes FROM deliveries
                  WHERE workspace_id = $1 AND delivery_id = ANY($2) AND payload_removed_at IS NULL) old
          WHERE d.delivery_id = old.delivery_id
          RETURNING old.bytes`,
        [workspaceId, ids, removal.at, removal.reason],
      )) as [{ bytes: number }[], number];
      const attempts = (await manager.query(
        `UPDATE attempts a SET response = ${STRIPPED_RESPONSE('a.response')},
             response_removed_at = $3, response_removed_reason = $4
           FROM (SELECT attempt_id, COALESCE(octet_length(response->>'body'), 0) AS bytes FROM attempts
                  WHERE workspace_id = $1 AND delivery_id = ANY($2) AND response IS NOT NULL
                    AND response_removed_at IS NULL AND ($5::timestamptz IS NULL OR started_at < $5)) old
          WHERE a.attempt_id = old.attempt_id
          RETURNING old.bytes`,
        [workspaceId, ids, removal.at, removal.reason, removal.before ?? null],
      )) as [{ bytes: number }[], number];
      const bytes = [...deliveries[0], ...attempts[0]].reduce((sum, r) => sum + Number(r.bytes), 0);
      return { deliveries: deliveries[0].length, attempts: attempts[0].length, bytes };
    });
  }
}

/** A response with its body and headers gone: the status (the delivery's summary reads it) stays. */
export const STRIPPED_RESPONSE = (column: string): string =>
  `jsonb_build_object('status', ${column}->'status', 'bodyTruncated', ${column}->'bodyTruncated',
     'body', NULL, 'headers', NULL)`;

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
