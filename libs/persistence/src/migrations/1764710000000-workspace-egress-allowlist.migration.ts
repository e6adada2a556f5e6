import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A workspace's own egress allowlist (CIDRs), opened beside the global one for its endpoints only. */
export class WorkspaceEgressAllowlist1764710000000 implements MigrationInterface {
  name = 'WorkspaceEgressAllowlist1764710000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE workspaces ADD COLUMN egress_allow_cidrs text[] NOT NULL DEFAULT '{}'`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE workspaces DROP COLUMN egress_allow_cidrs`);
  }
}
