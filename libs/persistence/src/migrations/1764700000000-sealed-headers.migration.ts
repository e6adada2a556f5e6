import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Custom header values are credentials: they get their own column of sealed values (name to secret
 * cipher envelope). Migrations run without the master key (the migrate job holds only the database
 * URL), so existing clear values stay readable in `headers` and are sealed by `herald rekey`, which
 * has the key and republishes each endpoint's snapshot, or by the endpoint's next header change.
 */
export class SealedHeaders1764700000000 implements MigrationInterface {
  name = 'SealedHeaders1764700000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE endpoints ADD COLUMN sealed_headers jsonb NOT NULL DEFAULT '{}'`);
  }

  async down(db: QueryRunner): Promise<void> {
    // Sealed values cannot be opened here; refuse rather than lose them.
    const [{ sealed }] = await db.query(
      `SELECT count(*)::int AS sealed FROM endpoints WHERE sealed_headers <> '{}'::jsonb`,
    );
    if (sealed > 0) throw new Error(`${sealed} endpoint(s) hold sealed header values; cannot revert`);
    await db.query(`ALTER TABLE endpoints DROP COLUMN sealed_headers`);
  }
}
