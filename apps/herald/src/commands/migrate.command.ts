import { loadConfig } from '@herald/config';
import { databaseEnv, runMigrations } from '@herald/persistence';

/** `herald migrate`: applies pending database migrations and says which. */
export async function migrateCommand(env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  const database = loadConfig(databaseEnv, env);
  const applied = await runMigrations(database.DATABASE_URL, { ssl: database.DATABASE_SSL });
  // One line, like every notice printed outside the JSON logs.
  process.stdout.write(
    `herald: ${applied.length} migration(s) applied${applied.length ? `: ${applied.join(', ')}` : ''}\n`,
  );
  return applied;
}
