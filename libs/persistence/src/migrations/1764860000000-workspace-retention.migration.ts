import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A workspace's own delivery-log retention (records, bodies) in days; null: the operator's default. */
export class WorkspaceRetention1764860000000 implements MigrationInterface {
  name = 'WorkspaceRetention1764860000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(
      `ALTER TABLE workspaces ADD COLUMN retention_days int NULL, ADD COLUMN body_retention_days int NULL`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE workspaces DROP COLUMN retention_days, DROP COLUMN body_retention_days`);
  }
}
