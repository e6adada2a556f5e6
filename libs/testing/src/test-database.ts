import { Client } from 'pg';
import { randomBytes } from 'node:crypto';
import { startEmbeddedPostgres, type RunningPostgres } from './embedded-postgres';

export interface TestDatabase {
  databaseUrl: string;
  /** Present only on embedded Postgres: pause/restart. */
  postgres?: RunningPostgres;
  stop(): Promise<void>;
}

/**
 * A Postgres database for one test file: an embedded server started here, or a fresh database on the
 * server DATABASE_URL names, so files never share state.
 */
export async function startTestDatabase(): Promise<TestDatabase> {
  if (!process.env.DATABASE_URL) {
    const postgres = await startEmbeddedPostgres();
    return { databaseUrl: postgres.databaseUrl, postgres, stop: () => postgres.stop() };
  }
  const name = `herald_test_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(process.env.DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    databaseUrl: url.toString(),
    async stop() {
      const client = new Client({ connectionString: process.env.DATABASE_URL });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}
