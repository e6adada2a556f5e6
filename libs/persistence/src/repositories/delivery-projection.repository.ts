import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  TEST_PING_TRIGGER,
  type AttemptRecorded,
  type DeliveryRequested,
  type OperationalEvent,
} from '@herald/contracts';
import { STRIPPED_RESPONSE } from './payload-purge.repository';

interface DeliveryRow {
  delivery_id: string;
  workspace_id: string;
  endpoint_id: string;
  event_id: string;
  event_type: string;
  occurred_at: string | null;
  payload: string | null;
  trigger: string | null;
  /** The attempt the record asked for; 0 for rows made from an attempt before its request arrived. */
  requested_attempt: number;
  created_at: string;
}

export interface PositionedOperationalEvent {
  /** `topic:partition:offset`, stable across replays of the same topic. */
  position: string;
  event: OperationalEvent;
}

/**
 * Writes the delivery projections. Every write is an idempotent upsert and a delivery's status is
 * recomputed from the set of its attempts, so replays, duplicates and any record order converge to the
 * same rows.
 */
@Injectable()
export class DeliveryProjectionRepository {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async applyDeliveryRequests(records: DeliveryRequested[]): Promise<void> {
    if (records.length === 0) return;
    const rows = mergeRows(
      records.map((r) => ({
        delivery_id: r.deliveryId,
        workspace_id: r.workspaceId,
        endpoint_id: r.endpointId,
        event_id: r.eventId,
        event_type: r.eventType,
        occurred_at: r.occurredAt,
        payload: r.payload,
        trigger: r.trigger,
        requested_attempt: r.attempt,
        created_at: r.requestedAt,
      })),
    );
    // Only a row that existed can have attempts (a placeholder made by an attempt seen first, or an
    // earlier request); a new row is already 'pending'. Most requests are new rows, so this skips the
    // locking status recompute for them.
    const existed = await this.upsertDeliveries(rows);
    await this.recomputeStatus(existed);
  }

  async applyAttempts(records: AttemptRecorded[]): Promise<void> {
    if (records.length === 0) return;
    const unique = new Map(records.map((r) => [r.attemptId, r]));
    const attempts = [...unique.values()]
      .sort((a, b) => (a.attemptId < b.attemptId ? -1 : a.attemptId > b.attemptId ? 1 : 0))
      .map((r) => ({
        attempt_id: r.attemptId,
        delivery_id: r.deliveryId,
        workspace_id: r.workspaceId,
        endpoint_id: r.endpointId,
        event_id: r.eventId,
        event_type: r.eventType,
        attempt: r.attempt,
        started_at: r.startedAt,
        duration_ms: Math.round(r.durationMs),
        request: r.request,
        response: r.response,
        remote_ip: r.remoteIp,
        error_class: r.errorClass,
        error_message: r.errorMessage,
        outcome: r.outcome,
        next_attempt_at: r.nextAttemptAt,
        trace_id: r.traceId,
      }));
    await this.db.transaction(async (manager) => {
      // Attempts can be projected before their delivery's request: a placeholder row takes them.
      // A test ping has no request at all; its attempt carries what the row needs.
      await this.upsertDeliveries(
        mergeRows(
          [...unique.values()].map((r) => ({
            delivery_id: r.deliveryId,
            workspace_id: r.workspaceId,
            endpoint_id: r.endpointId,
            event_id: r.eventId,
            event_type: r.eventType,
            occurred_at: r.testPing?.occurredAt ?? null,
            payload: r.testPing?.payload ?? null,
            trigger: r.testPing ? TEST_PING_TRIGGER : null,
            requested_attempt: r.testPing ? r.attempt : 0,
            created_at: r.startedAt,
          })),
        ),
        manager.query.bind(manager),
      );
      // An attempt of a purged delivery (one already in flight, or a replayed record after a full
      // re-projection) is stored without its response body and headers, marked like the purge.
      await manager.query(
        `INSERT INTO attempts (attempt_id, delivery_id, workspace_id, endpoint_id, event_id, event_type, attempt,
           started_at, duration_ms, request, response, remote_ip, error_class, error_message, outcome,
           next_attempt_at, trace_id, response_removed_at, response_removed_reason)
         SELECT r.attempt_id, r.delivery_id, r.workspace_id, r.endpoint_id, r.event_id, r.event_type, r.attempt,
           r.started_at, r.duration_ms, r.request,
           CASE WHEN p.purged_at IS NULL OR r.response IS NULL THEN r.response
             ELSE ${STRIPPED_RESPONSE('r.response')} END,
           r.remote_ip, r.error_class, r.error_message, r.outcome, r.next_attempt_at, r.trace_id,
           CASE WHEN r.response IS NOT NULL THEN p.purged_at END,
           CASE WHEN r.response IS NOT NULL AND p.purged_at IS NOT NULL THEN 'purged' END
         FROM jsonb_to_recordset($1::jsonb) AS r(attempt_id text, delivery_id text, workspace_id text,
           endpoint_id text, event_id text, event_type text, attempt int, started_at timestamptz, duration_ms int,
           request jsonb, response jsonb, remote_ip text, error_class text, error_message text, outcome text,
           next_attempt_at timestamptz, trace_id text)
         LEFT JOIN LATERAL (SELECT d.payload_removed_at AS purged_at FROM deliveries d
           WHERE d.delivery_id = r.delivery_id AND d.payload_removed_reason = 'purged') p ON true
         ON CONFLICT (attempt_id) DO NOTHING`,
        [JSON.stringify(attempts)],
      );
      // The placeholder upsert above locked every row concerned, so the status is recomputed here,
      // in the same transaction, without locking them again.
      await this.updateStatus(
        [...new Set(attempts.map((a) => a.delivery_id))].sort(),
        manager.query.bind(manager),
      );
    });
  }

  async applyOperationalEvents(records: PositionedOperationalEvent[]): Promise<void> {
    if (records.length === 0) return;
    const rows = records.map(({ position, event }) => ({
      id: position,
      workspace_id: event.workspaceId,
      endpoint_id: event.endpointId,
      delivery_id: event.deliveryId,
      type: event.type,
      reason: event.reason,
      at: event.at,
    }));
    await this.db.query(
      `INSERT INTO operational_events (id, workspace_id, endpoint_id, delivery_id, type, reason, at)
       SELECT id, workspace_id, endpoint_id, delivery_id, type, reason, at
       FROM jsonb_to_recordset($1::jsonb) AS r(id text, workspace_id text, endpoint_id text, delivery_id text,
         type text, reason text, at timestamptz)
       ON CONFLICT (id) DO NOTHING`,
      [JSON.stringify(rows)],
    );
  }

  /** Empties every projection rebuilt from Kafka (endpoints are not: the API owns them). */
  async truncate(): Promise<void> {
    await this.db.query(`TRUNCATE deliveries, attempts, operational_events`);
  }

  /** Upserts the rows; returns the ids of those that already existed, in lock order. */
  private async upsertDeliveries(
    rows: DeliveryRow[],
    query: (sql: string, params: unknown[]) => Promise<unknown> = (sql, params) => this.db.query(sql, params),
  ): Promise<string[]> {
    // The request for attempt 1 names the delivery's trigger; later requests (retries) do not change it.
    const written = (await query(
      `INSERT INTO deliveries (delivery_id, workspace_id, endpoint_id, event_id, event_type, occurred_at, payload,
         trigger, created_at, max_requested_attempt)
       SELECT delivery_id, workspace_id, endpoint_id, event_id, event_type, occurred_at, payload, trigger,
         created_at, requested_attempt
       FROM jsonb_to_recordset($1::jsonb) AS r(delivery_id text, workspace_id text, endpoint_id text,
         event_id text, event_type text, occurred_at timestamptz, payload text, trigger text,
         requested_attempt int, created_at timestamptz)
       ON CONFLICT (delivery_id) DO UPDATE SET
         occurred_at = COALESCE(deliveries.occurred_at, EXCLUDED.occurred_at),
         -- A removed payload stays removed: a replayed or duplicate request must not bring it back.
         payload = CASE WHEN deliveries.payload_removed_at IS NULL
           THEN COALESCE(deliveries.payload, EXCLUDED.payload) END,
         trigger = CASE
           WHEN EXCLUDED.trigger IS NOT NULL AND (deliveries.trigger IS NULL OR EXCLUDED.max_requested_attempt = 1)
           THEN EXCLUDED.trigger ELSE deliveries.trigger END,
         created_at = LEAST(deliveries.created_at, EXCLUDED.created_at),
         max_requested_attempt = GREATEST(deliveries.max_requested_attempt, EXCLUDED.max_requested_attempt)
       RETURNING delivery_id, (xmax <> 0) AS existed`,
      [JSON.stringify(rows)],
    )) as { delivery_id: string; existed: boolean }[];
    // xmax is set on a row this statement updated rather than inserted (Postgres's upsert idiom).
    return written
      .filter((row) => row.existed)
      .map((row) => row.delivery_id)
      .sort();
  }

  private async recomputeStatus(deliveryIds: string[]): Promise<void> {
    if (deliveryIds.length === 0) return;
    // Rows are locked in id order first, the same order every other writer uses.
    await this.db.transaction(async (manager) => {
      await manager.query(
        `SELECT 1 FROM deliveries WHERE delivery_id = ANY($1) ORDER BY delivery_id FOR UPDATE`,
        [deliveryIds],
      );
      await this.updateStatus(deliveryIds, manager.query.bind(manager));
    });
  }

  /**
   * pending (no attempt) -> retrying -> succeeded (any attempt succeeded) or failed (last attempt gave
   * up). The caller holds the rows' locks.
   */
  private async updateStatus(
    deliveryIds: string[],
    query: (sql: string, params: unknown[]) => Promise<unknown>,
  ): Promise<void> {
    await query(
      `UPDATE deliveries d SET
         attempt_count = s.attempt_count,
         last_attempt_at = s.last_started_at,
         last_response_status = s.last_status,
         next_attempt_at = CASE WHEN s.any_success THEN NULL ELSE s.last_next_attempt_at END,
         status = CASE
           WHEN s.any_success THEN 'succeeded'
           WHEN s.attempt_count = 0 THEN 'pending'
           WHEN d.max_requested_attempt > s.last_attempt THEN 'retrying'
           WHEN s.last_outcome IN ('exhausted', 'endpoint_disabled') THEN 'failed'
           ELSE 'retrying' END
       FROM (
         SELECT ids.delivery_id,
           count(a.attempt_id)::int AS attempt_count,
           COALESCE(bool_or(a.outcome = 'succeeded'), false) AS any_success,
           max(a.started_at) AS last_started_at,
           (array_agg(a.attempt ORDER BY a.attempt DESC, a.started_at DESC, a.attempt_id DESC))[1] AS last_attempt,
           (array_agg(a.outcome ORDER BY a.attempt DESC, a.started_at DESC, a.attempt_id DESC))[1] AS last_outcome,
           (array_agg((a.response->>'status')::int ORDER BY a.attempt DESC, a.started_at DESC, a.attempt_id DESC))[1]
             AS last_status,
           (array_agg(a.next_attempt_at ORDER BY a.attempt DESC, a.started_at DESC, a.attempt_id DESC))[1]
             AS last_next_attempt_at
         FROM unnest($1::text[]) AS ids(delivery_id)
         LEFT JOIN attempts a ON a.delivery_id = ids.delivery_id
         GROUP BY ids.delivery_id
       ) s
       WHERE d.delivery_id = s.delivery_id`,
      [deliveryIds],
    );
  }
}

/** One row per delivery id, merged the same way the upsert merges, since one statement may touch a row once. */
function mergeRows(rows: DeliveryRow[]): DeliveryRow[] {
  const merged = new Map<string, DeliveryRow>();
  for (const row of rows) {
    const prev = merged.get(row.delivery_id);
    if (!prev) {
      merged.set(row.delivery_id, { ...row });
      continue;
    }
    prev.occurred_at ??= row.occurred_at;
    prev.payload ??= row.payload;
    if (row.trigger !== null && (prev.trigger === null || row.requested_attempt === 1))
      prev.trigger = row.trigger;
    if (Date.parse(row.created_at) < Date.parse(prev.created_at)) prev.created_at = row.created_at;
    prev.requested_attempt = Math.max(prev.requested_attempt, row.requested_attempt);
  }
  // One lock order for every writer keeps concurrent batches from deadlocking each other.
  return [...merged.values()].sort((a, b) =>
    a.delivery_id < b.delivery_id ? -1 : a.delivery_id > b.delivery_id ? 1 : 0,
  );
}
