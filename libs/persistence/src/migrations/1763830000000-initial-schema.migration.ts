import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Workspaces, API keys, endpoints with their subscriptions and secrets, and the delivery projections. */
export class InitialSchema1763830000000 implements MigrationInterface {
  name = 'InitialSchema1763830000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE workspaces (
        id text PRIMARY KEY,
        name text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`
      CREATE TABLE api_keys (
        id uuid PRIMARY KEY,
        workspace_id text NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        name text NOT NULL,
        role text NOT NULL CHECK (role IN ('owner', 'admin', 'developer', 'viewer')),
        key_hash text NOT NULL UNIQUE,
        key_prefix text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz
      )`);
    await db.query(`CREATE INDEX api_keys_workspace_idx ON api_keys (workspace_id)`);
    await db.query(`
      CREATE TABLE endpoints (
        id uuid PRIMARY KEY,
        workspace_id text NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        version int NOT NULL,
        url text NOT NULL,
        event_types text[] NOT NULL,
        filter jsonb,
        description text,
        payload_profile text NOT NULL,
        signature_scheme text NOT NULL,
        signature_header text,
        headers jsonb NOT NULL DEFAULT '{}',
        timeout_ms int NOT NULL,
        max_in_flight int NOT NULL,
        rate_limit_per_second int,
        retry_schedule jsonb,
        fifo boolean NOT NULL DEFAULT false,
        disabled boolean NOT NULL DEFAULT false,
        disabled_reason text,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    // One endpoint per URL per workspace: a repeated POST returns the existing one.
    await db.query(`CREATE UNIQUE INDEX endpoints_workspace_url_uq ON endpoints (workspace_id, url)`);
    await db.query(`CREATE INDEX endpoints_event_types_idx ON endpoints USING gin (event_types)`);
    await db.query(`
      CREATE TABLE signing_secrets (
        id uuid PRIMARY KEY,
        endpoint_id uuid NOT NULL REFERENCES endpoints(id) ON DELETE CASCADE,
        workspace_id text NOT NULL,
        ciphertext text NOT NULL,
        public_key text,
        created_at timestamptz NOT NULL,
        expires_at timestamptz
      )`);
    await db.query(`CREATE INDEX signing_secrets_endpoint_idx ON signing_secrets (endpoint_id)`);
    await db.query(`
      CREATE TABLE deliveries (
        delivery_id text PRIMARY KEY,
        workspace_id text NOT NULL,
        endpoint_id text NOT NULL,
        event_id text NOT NULL,
        event_type text NOT NULL,
        occurred_at timestamptz,
        payload text,
        trigger text,
        created_at timestamptz NOT NULL,
        max_requested_attempt int NOT NULL DEFAULT 0,
        status text NOT NULL DEFAULT 'pending',
        attempt_count int NOT NULL DEFAULT 0,
        last_attempt_at timestamptz,
        last_response_status int,
        next_attempt_at timestamptz
      )`);
    await db.query(
      `CREATE INDEX deliveries_ws_created_idx ON deliveries (workspace_id, created_at DESC, delivery_id DESC)`,
    );
    await db.query(
      `CREATE INDEX deliveries_ws_endpoint_created_idx ON deliveries (workspace_id, endpoint_id, created_at DESC, delivery_id DESC)`,
    );
    await db.query(`CREATE INDEX deliveries_ws_event_idx ON deliveries (workspace_id, event_id)`);
    await db.query(`
      CREATE TABLE attempts (
        attempt_id text PRIMARY KEY,
        delivery_id text NOT NULL,
        workspace_id text NOT NULL,
        endpoint_id text NOT NULL,
        event_id text NOT NULL,
        event_type text NOT NULL,
        attempt int NOT NULL,
        started_at timestamptz NOT NULL,
        duration_ms int NOT NULL,
        request jsonb NOT NULL,
        response jsonb,
        remote_ip text,
        error_class text,
        error_message text,
        outcome text NOT NULL,
        next_attempt_at timestamptz,
        trace_id text
      )`);
    await db.query(`CREATE INDEX attempts_delivery_idx ON attempts (delivery_id, attempt)`);
    await db.query(`CREATE INDEX attempts_ws_started_idx ON attempts (workspace_id, started_at DESC)`);
    await db.query(
      `CREATE INDEX attempts_ws_endpoint_started_idx ON attempts (workspace_id, endpoint_id, started_at DESC)`,
    );
    await db.query(`
      CREATE TABLE operational_events (
        id text PRIMARY KEY,
        workspace_id text NOT NULL,
        endpoint_id text NOT NULL,
        delivery_id text,
        type text NOT NULL,
        reason text NOT NULL,
        at timestamptz NOT NULL
      )`);
    await db.query(`CREATE INDEX operational_events_ws_at_idx ON operational_events (workspace_id, at DESC)`);
    await db.query(`
      CREATE TABLE idempotency_records (
        scope text NOT NULL,
        key text NOT NULL,
        route text NOT NULL,
        request_hash text NOT NULL,
        status_code int NOT NULL,
        response jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (scope, key)
      )`);
    await db.query(`
      CREATE TABLE jobs (
        id uuid PRIMARY KEY,
        workspace_id text NOT NULL,
        endpoint_id uuid NOT NULL,
        kind text NOT NULL,
        state text NOT NULL,
        params jsonb NOT NULL,
        total int,
        processed int NOT NULL DEFAULT 0,
        produced int NOT NULL DEFAULT 0,
        error text,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        finished_at timestamptz
      )`);
    await db.query(`CREATE INDEX jobs_workspace_idx ON jobs (workspace_id, created_at DESC)`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of [
      'jobs',
      'idempotency_records',
      'operational_events',
      'attempts',
      'deliveries',
      'signing_secrets',
      'endpoints',
      'api_keys',
      'workspaces',
    ]) {
      await db.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
