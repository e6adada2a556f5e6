import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The delivery log becomes five tables partitioned by day (UTC), so retention drops whole partitions
 * instead of deleting rows. Every record of a delivery carries its creation time, the partition key of
 * all of them; bodies (payloads, response headers and bodies) live in their own tables, so a shorter body
 * retention drops their partitions without rewriting delivery or attempt rows. A delivery's summary
 * (status, counts, last attempt) is kept on its row and merged from new attempts only, never recomputed.
 *
 * Each table has a DEFAULT partition, so a write for a day without a partition never fails; the
 * maintenance job (log-partitions.repository.ts) creates days ahead, drops aged ones and sweeps the
 * default. Existing rows are copied, with the days they need; the old tables are dropped.
 */
export class PartitionedDeliveryLog1764850000000 implements MigrationInterface {
  name = 'PartitionedDeliveryLog1764850000000';

  async up(db: QueryRunner): Promise<void> {
    for (const table of ['deliveries', 'attempts', 'operational_events']) {
      await db.query(`ALTER TABLE ${table} RENAME TO ${table}_legacy`);
      await db.query(`ALTER TABLE ${table}_legacy RENAME CONSTRAINT ${table}_pkey TO ${table}_legacy_pkey`);
    }
    // The new tables reuse these names; the legacy tables go at the end.
    for (const index of [
      'deliveries_ws_created_idx',
      'deliveries_ws_endpoint_created_idx',
      'deliveries_ws_event_idx',
    ]) {
      await db.query(`DROP INDEX ${index}`);
    }

    // The status rule of libs/delivery's delivery-status.rule.ts, for the projector's upserts.
    await db.query(`
      CREATE FUNCTION herald_delivery_status(any_success boolean, attempt_count int, max_requested_attempt int,
          last_attempt int, last_outcome text) RETURNS text
        LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
          SELECT CASE
            WHEN any_success THEN 'succeeded'
            WHEN attempt_count = 0 THEN 'pending'
            WHEN max_requested_attempt > last_attempt THEN 'retrying'
            WHEN last_outcome IN ('exhausted', 'endpoint_disabled') THEN 'failed'
            ELSE 'retrying' END
        $$`);

    await db.query(`
      CREATE TABLE deliveries (
        delivery_id text NOT NULL,
        created_at timestamptz NOT NULL,
        workspace_id text NOT NULL,
        endpoint_id text NOT NULL,
        event_id text NOT NULL,
        event_type text NOT NULL,
        occurred_at timestamptz,
        trigger text,
        max_requested_attempt int NOT NULL DEFAULT 0,
        payload_removed_at timestamptz,
        payload_removed_reason text,
        status text NOT NULL DEFAULT 'pending',
        attempt_count int NOT NULL DEFAULT 0,
        any_success boolean NOT NULL DEFAULT false,
        last_attempt int,
        last_attempt_started_at timestamptz,
        last_attempt_id text,
        last_outcome text,
        last_response_status int,
        last_next_attempt_at timestamptz,
        last_attempt_at timestamptz,
        PRIMARY KEY (delivery_id, created_at)
      ) PARTITION BY RANGE (created_at)`);
    await db.query(
      `CREATE INDEX deliveries_ws_created_idx ON deliveries (workspace_id, created_at DESC, delivery_id DESC)`,
    );
    await db.query(
      `CREATE INDEX deliveries_ws_endpoint_created_idx ON deliveries (workspace_id, endpoint_id, created_at DESC, delivery_id DESC)`,
    );
    await db.query(`CREATE INDEX deliveries_ws_event_idx ON deliveries (workspace_id, event_id)`);

    // payload NULL: removed (a tombstone, so a replayed request cannot bring it back).
    await db.query(`
      CREATE TABLE delivery_payloads (
        delivery_id text NOT NULL,
        created_at timestamptz NOT NULL,
        payload text,
        PRIMARY KEY (delivery_id, created_at)
      ) PARTITION BY RANGE (created_at)`);

    // One index serves both the dedupe of replayed attempts and reading a delivery's attempts.
    await db.query(`
      CREATE TABLE attempts (
        delivery_id text NOT NULL,
        delivery_created_at timestamptz NOT NULL,
        attempt_id text NOT NULL,
        workspace_id text NOT NULL,
        endpoint_id text NOT NULL,
        event_id text NOT NULL,
        event_type text NOT NULL,
        attempt int NOT NULL,
        started_at timestamptz NOT NULL,
        duration_ms int NOT NULL,
        request jsonb NOT NULL,
        response_status int,
        response_body_truncated boolean,
        response_removed_at timestamptz,
        response_removed_reason text,
        remote_ip text,
        error_class text,
        error_message text,
        outcome text NOT NULL,
        next_attempt_at timestamptz,
        trace_id text,
        PRIMARY KEY (delivery_id, delivery_created_at, attempt_id)
      ) PARTITION BY RANGE (delivery_created_at)`);

    await db.query(`
      CREATE TABLE attempt_bodies (
        delivery_id text NOT NULL,
        delivery_created_at timestamptz NOT NULL,
        attempt_id text NOT NULL,
        headers jsonb,
        body text,
        PRIMARY KEY (delivery_id, delivery_created_at, attempt_id)
      ) PARTITION BY RANGE (delivery_created_at)`);

    await db.query(`
      CREATE TABLE operational_events (
        id text NOT NULL,
        at timestamptz NOT NULL,
        workspace_id text NOT NULL,
        endpoint_id text NOT NULL,
        delivery_id text,
        type text NOT NULL,
        reason text NOT NULL,
        PRIMARY KEY (id, at)
      ) PARTITION BY RANGE (at)`);
    await db.query(
      `CREATE INDEX operational_events_ws_endpoint_at_idx ON operational_events (workspace_id, endpoint_id, at DESC, id DESC)`,
    );

    for (const table of TABLES) {
      await db.query(`CREATE TABLE ${table}_default PARTITION OF ${table} DEFAULT ${storage(table)}`);
    }
    // Days of existing rows, and the next few, get their partitions now; maintenance adds the rest.
    const days = (await db.query(`
      SELECT DISTINCT d::date AS day FROM (
        SELECT date_trunc('day', created_at AT TIME ZONE 'UTC') AS d FROM deliveries_legacy
        UNION SELECT date_trunc('day', at AT TIME ZONE 'UTC') FROM operational_events_legacy
        UNION SELECT generate_series(date_trunc('day', now() AT TIME ZONE 'UTC') - interval '1 day',
                                     date_trunc('day', now() AT TIME ZONE 'UTC') + interval '3 days', interval '1 day')
      ) s ORDER BY 1`)) as { day: string | Date }[];
    for (const { day } of days) {
      const start = toDay(day);
      for (const table of TABLES) {
        await db.query(
          `CREATE TABLE ${table}_p${start.replace(/-/g, '')} PARTITION OF ${table}
             FOR VALUES FROM ('${start}T00:00:00Z') TO ('${nextDay(start)}T00:00:00Z') ${storage(table)}`,
        );
      }
    }

    await copyLegacyRows(db);
    for (const table of ['operational_events', 'attempts', 'deliveries']) {
      await db.query(`DROP TABLE ${table}_legacy`);
    }
  }

  async down(db: QueryRunner): Promise<void> {
    // Back to the single tables; rows keep their content, bodies are folded back in.
    for (const table of ['deliveries', 'attempts', 'operational_events']) {
      await db.query(`ALTER TABLE ${table} RENAME TO ${table}_partitioned`);
      await db.query(`ALTER INDEX ${table}_pkey RENAME TO ${table}_partitioned_pkey`);
    }
    for (const index of [
      'deliveries_ws_created_idx',
      'deliveries_ws_endpoint_created_idx',
      'deliveries_ws_event_idx',
      'operational_events_ws_endpoint_at_idx',
    ]) {
      await db.query(`ALTER INDEX ${index} RENAME TO ${index}_partitioned`);
    }
    await db.query(`
      CREATE TABLE deliveries AS SELECT d.delivery_id, d.workspace_id, d.endpoint_id, d.event_id, d.event_type,
        d.occurred_at, p.payload, d.trigger, d.created_at, d.max_requested_attempt, d.status, d.attempt_count,
        d.last_attempt_at, d.last_response_status,
        CASE WHEN d.any_success THEN NULL ELSE d.last_next_attempt_at END AS next_attempt_at,
        d.payload_removed_at, d.payload_removed_reason
      FROM deliveries_partitioned d
      LEFT JOIN delivery_payloads p ON p.delivery_id = d.delivery_id AND p.created_at = d.created_at`);
    await db.query(`ALTER TABLE deliveries ADD PRIMARY KEY (delivery_id)`);
    await db.query(`
      CREATE TABLE attempts AS SELECT a.attempt_id, a.delivery_id, a.workspace_id, a.endpoint_id, a.event_id,
        a.event_type, a.attempt, a.started_at, a.duration_ms, a.request,
        CASE WHEN a.response_status IS NULL THEN NULL ELSE jsonb_build_object('status', a.response_status,
          'bodyTruncated', a.response_body_truncated, 'headers', b.headers, 'body', b.body) END AS response,
        a.remote_ip, a.error_class, a.error_message, a.outcome, a.next_attempt_at, a.trace_id,
        a.response_removed_at, a.response_removed_reason
      FROM attempts_partitioned a
      LEFT JOIN attempt_bodies b ON b.delivery_id = a.delivery_id
        AND b.delivery_created_at = a.delivery_created_at AND b.attempt_id = a.attempt_id`);
    await db.query(`ALTER TABLE attempts ADD PRIMARY KEY (attempt_id)`);
    await db.query(`CREATE TABLE operational_events AS
      SELECT id, workspace_id, endpoint_id, delivery_id, type, reason, at FROM operational_events_partitioned`);
    await db.query(`ALTER TABLE operational_events ADD PRIMARY KEY (id)`);
    for (const table of [...TABLES].reverse()) {
      const name = ['deliveries', 'attempts', 'operational_events'].includes(table)
        ? `${table}_partitioned`
        : table;
      await db.query(`DROP TABLE ${name}`);
    }
    await db.query(`DROP FUNCTION herald_delivery_status(boolean, int, int, int, text)`);
    await db.query(
      `CREATE INDEX deliveries_ws_created_idx ON deliveries (workspace_id, created_at DESC, delivery_id DESC)`,
    );
    await db.query(
      `CREATE INDEX deliveries_ws_endpoint_created_idx ON deliveries (workspace_id, endpoint_id, created_at DESC, delivery_id DESC)`,
    );
    await db.query(`CREATE INDEX deliveries_ws_event_idx ON deliveries (workspace_id, event_id)`);
    await db.query(`CREATE INDEX attempts_delivery_idx ON attempts (delivery_id, attempt)`);
    await db.query(`CREATE INDEX operational_events_ws_at_idx ON operational_events (workspace_id, at DESC)`);
  }
}

const TABLES = ['deliveries', 'delivery_payloads', 'attempts', 'attempt_bodies', 'operational_events'];

/** Free space on each page keeps in-place updates of delivery rows HOT (no index writes). */
function storage(table: string): string {
  return table === 'deliveries' ? 'WITH (fillfactor = 80)' : '';
}

function toDay(value: string | Date): string {
  return (value instanceof Date ? value.toISOString() : String(value)).slice(0, 10);
}

function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

async function copyLegacyRows(db: QueryRunner): Promise<void> {
  await db.query(`
    INSERT INTO deliveries (delivery_id, created_at, workspace_id, endpoint_id, event_id, event_type, occurred_at,
      trigger, max_requested_attempt, payload_removed_at, payload_removed_reason, status, attempt_count,
      any_success, last_attempt, last_attempt_started_at, last_attempt_id, last_outcome, last_response_status,
      last_next_attempt_at, last_attempt_at)
    SELECT d.delivery_id, d.created_at, d.workspace_id, d.endpoint_id, d.event_id, d.event_type, d.occurred_at,
      d.trigger, d.max_requested_attempt, d.payload_removed_at, d.payload_removed_reason, d.status,
      d.attempt_count, COALESCE(s.any_success, false), l.attempt, l.started_at, l.attempt_id, l.outcome,
      d.last_response_status, l.next_attempt_at, d.last_attempt_at
    FROM deliveries_legacy d
    LEFT JOIN LATERAL (SELECT bool_or(a.outcome = 'succeeded') AS any_success FROM attempts_legacy a
      WHERE a.delivery_id = d.delivery_id) s ON true
    LEFT JOIN LATERAL (SELECT a.attempt, a.started_at, a.attempt_id, a.outcome, a.next_attempt_at
      FROM attempts_legacy a WHERE a.delivery_id = d.delivery_id
      ORDER BY a.attempt DESC, a.started_at DESC, a.attempt_id DESC LIMIT 1) l ON true`);
  await db.query(`
    INSERT INTO delivery_payloads (delivery_id, created_at, payload)
    SELECT delivery_id, created_at, payload FROM deliveries_legacy
    WHERE payload IS NOT NULL OR payload_removed_at IS NOT NULL`);
  await db.query(`
    INSERT INTO attempts (delivery_id, delivery_created_at, attempt_id, workspace_id, endpoint_id, event_id,
      event_type, attempt, started_at, duration_ms, request, response_status, response_body_truncated,
      response_removed_at, response_removed_reason, remote_ip, error_class, error_message, outcome,
      next_attempt_at, trace_id)
    SELECT a.delivery_id, COALESCE(d.created_at, a.started_at), a.attempt_id, a.workspace_id, a.endpoint_id,
      a.event_id, a.event_type, a.attempt, a.started_at, a.duration_ms, a.request, (a.response->>'status')::int,
      (a.response->>'bodyTruncated')::boolean, a.response_removed_at, a.response_removed_reason, a.remote_ip,
      a.error_class, a.error_message, a.outcome, a.next_attempt_at, a.trace_id
    FROM attempts_legacy a LEFT JOIN deliveries_legacy d ON d.delivery_id = a.delivery_id`);
  await db.query(`
    INSERT INTO attempt_bodies (delivery_id, delivery_created_at, attempt_id, headers, body)
    SELECT a.delivery_id, COALESCE(d.created_at, a.started_at), a.attempt_id, a.response->'headers',
      a.response->>'body'
    FROM attempts_legacy a LEFT JOIN deliveries_legacy d ON d.delivery_id = a.delivery_id
    WHERE a.response IS NOT NULL AND a.response_removed_at IS NULL`);
  await db.query(`
    INSERT INTO operational_events (id, at, workspace_id, endpoint_id, delivery_id, type, reason)
    SELECT id, at, workspace_id, endpoint_id, delivery_id, type, reason FROM operational_events_legacy`);
}
