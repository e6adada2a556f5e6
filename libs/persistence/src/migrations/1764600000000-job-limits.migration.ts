import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Jobs get a deadline, a cancel request and a result; listing a workspace's jobs uses the existing index. */
export class JobLimits1764600000000 implements MigrationInterface {
  name = 'JobLimits1764600000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE jobs
        ADD COLUMN result jsonb,
        ADD COLUMN deadline_at timestamptz,
        ADD COLUMN cancel_requested_at timestamptz`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE jobs
        DROP COLUMN cancel_requested_at,
        DROP COLUMN deadline_at,
        DROP COLUMN result`);
  }
}
