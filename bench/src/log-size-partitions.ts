import type { DataSource } from 'typeorm';

const DAY_MS = 86_400_000;
/** The partitioned log tables and their partition column (design of issue 19). */
const PARTITIONED: Record<string, string> = {
  deliveries: 'created_at',
  delivery_payloads: 'created_at',
  attempts: 'delivery_created_at',
  attempt_bodies: 'delivery_created_at',
};

const dayName = (day: Date) => day.toISOString().slice(0, 10).replace(/-/g, '');

async function partitionedTables(db: DataSource): Promise<string[]> {
  const rows = (await db.query(
    `SELECT c.relname FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid
     WHERE c.relname = ANY($1)`,
    [Object.keys(PARTITIONED)],
  )) as { relname: string }[];
  return rows.map((r) => r.relname);
}

/**
 * Daily partitions for the days the fill writes (the migration only makes today and a few days
 * ahead), so the rows land where maintenance would have put them rather than in the default partition.
 */
export async function prepareDays(db: DataSource, first: Date, days: number): Promise<void> {
  for (const table of await partitionedTables(db)) {
    for (let i = 0; i < days; i++) {
      const from = new Date(first.getTime() + i * DAY_MS);
      const to = new Date(from.getTime() + DAY_MS);
      await db.query(
        `CREATE TABLE IF NOT EXISTS ${table}_p${dayName(from)} PARTITION OF ${table}
         FOR VALUES FROM ('${from.toISOString()}') TO ('${to.toISOString()}')`,
      );
    }
  }
}

/** Drops the oldest day's partition of every log table and times it (the retention sweep's work). */
export async function dropOldestDay(db: DataSource, day: Date): Promise<Record<string, number | string>> {
  const tables = await partitionedTables(db);
  if (tables.length === 0) return { drop_oldest_day: 'not partitioned' };
  const [deliveries] = (await db.query(`SELECT count(*)::int AS n FROM deliveries_p${dayName(day)}`)) as {
    n: number;
  }[];
  const started = process.hrtime.bigint();
  for (const table of tables) await db.query(`DROP TABLE IF EXISTS ${table}_p${dayName(day)}`);
  return {
    drop_oldest_day_deliveries: deliveries.n,
    drop_oldest_day_ms: Math.round(Number(process.hrtime.bigint() - started) / 1e6),
  };
}
