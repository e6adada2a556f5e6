import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** What the attempts table says about one endpoint: a window's counts and latency, and all-time lasts. */
export interface EndpointHealthRow {
  endpointId: string;
  disabled: boolean;
  disabledReason: string | null;
  succeeded: number;
  failed: number;
  p50Ms: number | null;
  p95Ms: number | null;
  lastSuccessAt: Date | null;
  lastFailureAt: Date | null;
  /** The endpoint's latest circuit event, if any. */
  circuitEvent: { type: string; at: Date } | null;
}

export interface EndpointHealthQuery {
  workspaceId: string;
  /** null: every endpoint of the workspace. */
  endpointIds: readonly string[] | null;
  /** The window: attempts started in [from, to). */
  from: Date;
  to: Date;
  /** Retention cutoff: older deliveries (and their attempts) are past retention and not read. */
  recordsSince: Date;
}

/**
 * One row per endpoint. Each lateral subquery reads one endpoint through
 * attempts_ws_endpoint_outcome_started_idx; `delivery_created_at` (the partition key) is bounded by the
 * retention cutoff and the window's end, so partitions past retention and those made ahead are pruned
 * (an attempt never starts before its delivery was created, and a late retry of an older delivery
 * stays in its creation day's partition, hence the lower bound is retention, not the window).
 */
const HEALTH_SQL = `
  SELECT e.id AS endpoint_id, e.disabled, e.disabled_reason,
         w.succeeded, w.failed, w.p50, w.p95,
         (SELECT max(a.started_at) FROM attempts a
           WHERE a.workspace_id = e.workspace_id AND a.endpoint_id = e.id AND a.outcome = 'succeeded'
             AND a.delivery_created_at >= $4 AND a.delivery_created_at < $3) AS last_success_at,
         GREATEST(
           (SELECT max(a.started_at) FROM attempts a
             WHERE a.workspace_id = e.workspace_id AND a.endpoint_id = e.id AND a.outcome = 'retry_scheduled'
               AND a.delivery_created_at >= $4 AND a.delivery_created_at < $3),
           (SELECT max(a.started_at) FROM attempts a
             WHERE a.workspace_id = e.workspace_id AND a.endpoint_id = e.id AND a.outcome = 'exhausted'
               AND a.delivery_created_at >= $4 AND a.delivery_created_at < $3)) AS last_failure_at,
         c.type AS circuit_type, c.at AS circuit_at
    FROM (SELECT id::text AS id, workspace_id, disabled, disabled_reason FROM endpoints
           WHERE workspace_id = $1 AND ($5::uuid[] IS NULL OR id = ANY($5::uuid[]))) e
    CROSS JOIN LATERAL (
      SELECT count(*) FILTER (WHERE a.outcome = 'succeeded')::int AS succeeded,
             count(*) FILTER (WHERE a.outcome <> 'succeeded')::int AS failed,
             percentile_disc(0.5) WITHIN GROUP (ORDER BY a.duration_ms) AS p50,
             percentile_disc(0.95) WITHIN GROUP (ORDER BY a.duration_ms) AS p95
        FROM attempts a
       WHERE a.workspace_id = e.workspace_id AND a.endpoint_id = e.id
         AND a.outcome IN ('succeeded', 'retry_scheduled', 'exhausted')
         AND a.started_at >= $2 AND a.started_at < $3
         AND a.delivery_created_at >= $4 AND a.delivery_created_at < $3
    ) w
    LEFT JOIN LATERAL (
      SELECT o.type, o.at FROM operational_events o
       WHERE o.workspace_id = e.workspace_id AND o.endpoint_id = e.id
         AND o.type IN ('endpoint.circuit_opened', 'endpoint.circuit_closed')
         AND o.at >= $4
       ORDER BY o.at DESC, o.id DESC LIMIT 1
    ) c ON true
   ORDER BY e.id`;

interface RawHealthRow {
  endpoint_id: string;
  disabled: boolean;
  disabled_reason: string | null;
  succeeded: number;
  failed: number;
  p50: number | null;
  p95: number | null;
  last_success_at: Date | null;
  last_failure_at: Date | null;
  circuit_type: string | null;
  circuit_at: Date | null;
}

@Injectable()
export class EndpointHealthRepository {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async read(query: EndpointHealthQuery): Promise<EndpointHealthRow[]> {
    const rows: RawHealthRow[] = await this.db.query(HEALTH_SQL, [
      query.workspaceId,
      query.from,
      query.to,
      query.recordsSince,
      query.endpointIds === null ? null : [...query.endpointIds],
    ]);
    return rows.map((row) => ({
      endpointId: row.endpoint_id,
      disabled: row.disabled,
      disabledReason: row.disabled_reason,
      succeeded: row.succeeded,
      failed: row.failed,
      p50Ms: row.p50 === null ? null : Number(row.p50),
      p95Ms: row.p95 === null ? null : Number(row.p95),
      lastSuccessAt: row.last_success_at,
      lastFailureAt: row.last_failure_at,
      circuitEvent:
        row.circuit_type && row.circuit_at ? { type: row.circuit_type, at: row.circuit_at } : null,
    }));
  }
}
