import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The product profile an endpoint was set up with (a label); existing endpoints have none. */
export class EndpointProductProfile1764820000000 implements MigrationInterface {
  name = 'EndpointProductProfile1764820000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE endpoints ADD COLUMN product_profile text NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE endpoints DROP COLUMN product_profile`);
  }
}
