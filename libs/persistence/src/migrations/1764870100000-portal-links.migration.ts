import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Portal links: bearer tokens (sha256 only) scoped to one workspace and, optionally, some of its endpoints. */
export class PortalLinks1764870100000 implements MigrationInterface {
  name = 'PortalLinks1764870100000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE portal_links (
        id uuid PRIMARY KEY,
        workspace_id text NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        token_hash text NOT NULL UNIQUE,
        endpoint_ids uuid[],
        permissions text[] NOT NULL,
        branding jsonb NOT NULL DEFAULT '{}',
        allowed_origins text[] NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz
      )`);
    await db.query(`CREATE INDEX portal_links_ws_expires_idx ON portal_links (workspace_id, expires_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE portal_links`);
  }
}
