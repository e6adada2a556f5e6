import type { DataSource } from 'typeorm';
import {
  LOG_TABLES,
  LogMaintenance,
  LogPartitionsRepository,
  WorkspaceRepository,
  type LogTable,
} from '@herald/persistence';
import { dayKey, partitionName, retentionEnv, retentionSettingsFromEnv } from '@herald/retention';

const DAY_MS = 86_400_000;

/**
 * Daily partitions for the days the fill writes, made by the log's own maintenance with a window that
 * covers them, so the rows land where a running install would have put them, not in the default partition.
 */
export async function prepareDays(db: DataSource, first: Date, days: number): Promise<void> {
  const window = String(Math.ceil((Date.now() - first.getTime()) / DAY_MS) + 1);
  const settings = retentionSettingsFromEnv(
    retentionEnv.parse({
      HERALD_RETENTION_DAYS: window,
      HERALD_BODY_RETENTION_DAYS: window,
      HERALD_RETENTION_MAX_DAYS: String(Math.max(90, Number(window))),
      HERALD_PARTITIONS_AHEAD_DAYS: String(Math.max(1, days)),
    }),
  );
  await new LogMaintenance(new LogPartitionsRepository(db), new WorkspaceRepository(db)).run(settings);
}

/** Drops the oldest day's partition of every log table and times it (what retention does each day). */
export async function dropOldestDay(db: DataSource, day: Date): Promise<Record<string, number | string>> {
  const [deliveries] = (await db.query(
    `SELECT count(*)::int AS n FROM ${partitionName('deliveries', dayKey(day))}`,
  )) as { n: number }[];
  const started = process.hrtime.bigint();
  for (const table of Object.keys(LOG_TABLES) as LogTable[]) {
    await db.query(`DROP TABLE IF EXISTS ${partitionName(table, dayKey(day))}`);
  }
  return {
    drop_oldest_day_deliveries: deliveries.n,
    drop_oldest_day_ms: Math.round(Number(process.hrtime.bigint() - started) / 1e6),
  };
}
