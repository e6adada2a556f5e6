import type { MigrationInterface, QueryRunner } from 'typeorm';

/** An endpoint's pinned event schema version; existing endpoints stay unpinned (every version). */
export class EndpointEventVersion1764800000000 implements MigrationInterface {
  name = 'EndpointEventVersion1764800000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE endpoints ADD COLUMN event_version integer NULL CHECK (event_version >= 1)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE endpoints DROP COLUMN event_version`);
  }
}
