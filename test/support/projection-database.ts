import type { DataSource } from 'typeorm';
import { createDataSource, DeliveryProjectionRepository, runMigrations } from '@herald/persistence';
import { startTestDatabase } from '@herald/testing';

/** A migrated test database with the projector's repository over it, for write-path tests. */
export interface ProjectionDatabase {
  db: DataSource;
  projection: DeliveryProjectionRepository;
  stop(): Promise<void>;
}

export async function startProjectionDatabase(): Promise<ProjectionDatabase> {
  const database = await startTestDatabase();
  await runMigrations(database.databaseUrl);
  const db = createDataSource({ DATABASE_URL: database.databaseUrl });
  await db.initialize();
  return {
    db,
    projection: new DeliveryProjectionRepository(db),
    stop: async () => {
      await db.destroy();
      await database.stop();
    },
  };
}
