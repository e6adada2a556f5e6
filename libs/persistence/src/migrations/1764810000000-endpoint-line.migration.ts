import type { MigrationInterface, QueryRunner } from 'typeorm';

/** An endpoint's line scope (Messages.dev); existing endpoints take every line. */
export class EndpointLine1764810000000 implements MigrationInterface {
  name = 'EndpointLine1764810000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE endpoints ADD COLUMN line text NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE endpoints DROP COLUMN line`);
  }
}
