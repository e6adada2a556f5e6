import { Client } from 'pg';
import { randomBytes } from 'node:crypto';
import { startEmbeddedPostgres } from '@herald/testing';

export interface BenchDatabase {
  url: string;
  drop(): Promise<void>;
}

/**
 * A database of its own: the embedded server (its data directory under the OS temp dir, removed on
 * stop), or a fresh database on the server DATABASE_URL names, dropped afterwards (the log is large).
 */
export async function benchDatabase(): Promise<BenchDatabase> {
  const existing = process.env.DATABASE_URL;
  if (!existing) {
    const postgres = await startEmbeddedPostgres('herald_log_size');
    return { url: postgres.databaseUrl, drop: () => postgres.stop() };
  }
  const name = `herald_log_size_${randomBytes(4).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new Client({ connectionString: existing });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(existing);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}
