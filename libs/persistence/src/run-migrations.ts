import { createDataSource } from './data-source';

/**
 * Applies pending migrations and returns their names; each runs in its own transaction. A pool of one
 * connection keeps the session advisory lock and the migrations on the same connection.
 */
export async function runMigrations(databaseUrl: string, options: { ssl?: boolean } = {}): Promise<string[]> {
  const dataSource = createDataSource({
    DATABASE_URL: databaseUrl,
    DATABASE_SSL: options.ssl ?? false,
    DATABASE_POOL_SIZE: 1,
    applicationName: 'herald-migrate',
  });
  await dataSource.initialize();
  try {
    // Two processes starting at once must not both apply the same migration.
    await dataSource.query(`SELECT pg_advisory_lock(7243101)`);
    try {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      return applied.map((migration) => migration.name);
    } finally {
      await dataSource.query(`SELECT pg_advisory_unlock(7243101)`);
    }
  } finally {
    await dataSource.destroy();
  }
}
