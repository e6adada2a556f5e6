import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When and why a stored body was removed (a purge request now, retention later), so the API can say
 * so instead of showing nothing, and the projector can keep a replayed record from restoring it.
 * Purge jobs have no endpoint when they select by event or by time, hence jobs.endpoint_id nullable.
 * Only nullable columns are added: no table rewrite.
 */
export class PayloadRemoval1764840000000 implements MigrationInterface {
  name = 'PayloadRemoval1764840000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(
      `ALTER TABLE deliveries ADD COLUMN payload_removed_at timestamptz NULL, ADD COLUMN payload_removed_reason text NULL`,
    );
    await db.query(
      `ALTER TABLE attempts ADD COLUMN response_removed_at timestamptz NULL, ADD COLUMN response_removed_reason text NULL`,
    );
    await db.query(`ALTER TABLE jobs ALTER COLUMN endpoint_id DROP NOT NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    // Removed bodies stay removed; only the markers go. Endpoint-less purge jobs cannot be kept.
    await db.query(`DELETE FROM jobs WHERE endpoint_id IS NULL`);
    await db.query(`ALTER TABLE jobs ALTER COLUMN endpoint_id SET NOT NULL`);
    await db.query(
      `ALTER TABLE attempts DROP COLUMN response_removed_at, DROP COLUMN response_removed_reason`,
    );
    await db.query(
      `ALTER TABLE deliveries DROP COLUMN payload_removed_at, DROP COLUMN payload_removed_reason`,
    );
  }
}
