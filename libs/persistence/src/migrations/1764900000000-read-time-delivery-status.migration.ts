import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The summary columns the projector used to merge into each delivery row, per new attempt. */
const SUMMARY_COLUMNS = [
  `status text NOT NULL DEFAULT 'pending'`,
  'attempt_count int NOT NULL DEFAULT 0',
  'any_success boolean NOT NULL DEFAULT false',
  'last_attempt int',
  'last_attempt_started_at timestamptz',
  'last_attempt_id text COLLATE "C"',
  'last_outcome text',
  'last_response_status int',
  'last_next_attempt_at timestamptz',
  'last_attempt_at timestamptz',
];

/**
 * A delivery's status, attempt count and last attempt are derived when read, from its attempts,
 * instead of being merged into its row under a row lock by every attempt the projector writes (issue
 * 19, "cheap writes"). An attempt is now an append: one row in `attempts` (and its body). Reads go
 * through the view `delivery_log`: each delivery row with an aggregate of its own attempts, found by
 * the attempts' primary key (delivery_id, delivery_created_at, ...) in the one partition its creation
 * time names. The rule is herald_delivery_status, the SQL twin of deliveryStatus in libs/delivery.
 */
export class ReadTimeDeliveryStatus1764900000000 implements MigrationInterface {
  name = 'ReadTimeDeliveryStatus1764900000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE VIEW delivery_log AS
      SELECT d.delivery_id, d.created_at, d.workspace_id, d.endpoint_id, d.event_id, d.event_type,
        d.occurred_at, d.trigger, d.max_requested_attempt, d.payload_removed_at, d.payload_removed_reason,
        herald_delivery_status(s.any_success, s.attempt_count, d.max_requested_attempt, s.last_attempt,
          s.last_outcome) AS status,
        s.attempt_count, s.any_success, s.last_attempt, s.last_attempt_id, s.last_outcome,
        s.last_response_status, s.last_next_attempt_at, s.last_attempt_at
      FROM deliveries d
      LEFT JOIN LATERAL (
        SELECT count(*)::int AS attempt_count, COALESCE(bool_or(a.outcome = 'succeeded'), false) AS any_success,
          max(a.started_at) AS last_attempt_at,
          -- The "last" attempt orders by (attempt, started_at, attempt_id), as DeliverySummary.last does.
          (array_agg(a.attempt ORDER BY a.attempt DESC, a.started_at DESC, a.attempt_id DESC))[1] AS last_attempt,
          (array_agg(a.attempt_id ORDER BY a.attempt DESC, a.started_at DESC, a.attempt_id DESC))[1] AS last_attempt_id,
          (array_agg(a.outcome ORDER BY a.attempt DESC, a.started_at DESC, a.attempt_id DESC))[1] AS last_outcome,
          (array_agg(a.response_status ORDER BY a.attempt DESC, a.started_at DESC, a.attempt_id DESC))[1]
            AS last_response_status,
          (array_agg(a.next_attempt_at ORDER BY a.attempt DESC, a.started_at DESC, a.attempt_id DESC))[1]
            AS last_next_attempt_at
        FROM attempts a
        WHERE a.delivery_id = d.delivery_id AND a.delivery_created_at = d.created_at
      ) s ON true`);
    const drop = SUMMARY_COLUMNS.map((column) => `DROP COLUMN ${column.split(' ')[0]}`).join(', ');
    await db.query(`ALTER TABLE deliveries ${drop}`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE deliveries ${SUMMARY_COLUMNS.map((c) => `ADD COLUMN ${c}`).join(', ')}`);
    await db.query(`
      UPDATE deliveries d SET status = l.status, attempt_count = l.attempt_count, any_success = l.any_success,
        last_attempt = l.last_attempt, last_attempt_id = l.last_attempt_id, last_outcome = l.last_outcome,
        last_response_status = l.last_response_status, last_next_attempt_at = l.last_next_attempt_at,
        last_attempt_at = l.last_attempt_at,
        last_attempt_started_at = (SELECT a.started_at FROM attempts a WHERE a.delivery_id = d.delivery_id
          AND a.delivery_created_at = d.created_at AND a.attempt_id = l.last_attempt_id)
      FROM delivery_log l
      WHERE l.delivery_id = d.delivery_id AND l.created_at = d.created_at AND l.attempt_count > 0`);
    await db.query(`DROP VIEW delivery_log`);
  }
}
