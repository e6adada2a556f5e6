import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The delivery log's indexed text columns, per table. Every one is ASCII (ids, UUIDs, positions, outcomes). */
const ID_COLUMNS: Record<string, string[]> = {
  deliveries: ['delivery_id', 'workspace_id', 'endpoint_id', 'event_id'],
  delivery_payloads: ['delivery_id'],
  attempts: ['delivery_id', 'attempt_id', 'workspace_id', 'endpoint_id', 'outcome'],
  attempt_bodies: ['delivery_id', 'attempt_id'],
  operational_events: ['id', 'workspace_id', 'endpoint_id'],
};

/**
 * Compares the log's ids byte by byte (collation "C") instead of by the database's locale: every index
 * insert and lookup compares ids, and locale comparison was about a fifth of Postgres's CPU on the
 * projector's write path (`node dist/bench/src/projector.bench.js`). The order of ASCII ids only
 * changes under locales that fold case, and nothing relies on it beyond keyset paging, which stays
 * consistent. Changing a collation keeps the rows in place but rebuilds the indexes on these columns.
 */
export class LogIdCollation1764890000000 implements MigrationInterface {
  name = 'LogIdCollation1764890000000';

  async up(db: QueryRunner): Promise<void> {
    await this.setCollation(db, '"C"');
  }

  async down(db: QueryRunner): Promise<void> {
    await this.setCollation(db, '"default"');
  }

  private async setCollation(db: QueryRunner, collation: string): Promise<void> {
    for (const [table, columns] of Object.entries(ID_COLUMNS)) {
      const changes = columns.map((c) => `ALTER COLUMN ${c} TYPE text COLLATE ${collation}`).join(', ');
      await db.query(`ALTER TABLE ${table} ${changes}`);
    }
  }
}
