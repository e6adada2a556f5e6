import type { DataSource } from 'typeorm';

/** The delivery log's tables; a table this schema does not have is left out of the report. */
export const LOG_TABLES = ['deliveries', 'delivery_payloads', 'attempts', 'attempt_bodies'] as const;

export interface TableSize {
  table: string;
  /** Heap and TOAST of every partition. */
  tableBytes: number;
  indexBytes: number;
  partitions: number;
}

/** On-disk size of a table summed over its partitions (a plain table counts as its only one). */
export async function tableSizes(db: DataSource): Promise<TableSize[]> {
  const sizes: TableSize[] = [];
  for (const table of LOG_TABLES) {
    const [exists] = (await db.query(`SELECT to_regclass($1) IS NOT NULL AS ok`, [table])) as {
      ok: boolean;
    }[];
    if (!exists.ok) continue;
    const [row] = (await db.query(
      `SELECT COALESCE(sum(pg_table_size(relid)), 0)::bigint AS table_bytes,
         COALESCE(sum(pg_indexes_size(relid)), 0)::bigint AS index_bytes,
         count(*) FILTER (WHERE isleaf)::int AS partitions
       FROM (SELECT relid, isleaf FROM pg_partition_tree($1::regclass)
         -- A plain table has no partition tree: it is its own only partition.
         UNION ALL SELECT $1::regclass, true WHERE NOT EXISTS (SELECT FROM pg_partition_tree($1::regclass))) t`,
      [table],
    )) as { table_bytes: string; index_bytes: string; partitions: number }[];
    sizes.push({
      table,
      tableBytes: Number(row.table_bytes),
      indexBytes: Number(row.index_bytes),
      partitions: row.partitions,
    });
  }
  return sizes;
}

export async function rowCount(db: DataSource, table: string): Promise<number> {
  const [row] = (await db.query(`SELECT count(*)::bigint AS n FROM ${table}`)) as { n: string }[];
  return Number(row.n);
}

export interface Latency {
  p50Ms: number;
  p99Ms: number;
}

/** Runs `call` once per sample, one at a time, and returns the latency percentiles. */
export async function timeCalls<T>(samples: T[], call: (sample: T) => Promise<unknown>): Promise<Latency> {
  const took: number[] = [];
  for (const sample of samples) {
    const started = process.hrtime.bigint();
    await call(sample);
    took.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  took.sort((a, b) => a - b);
  const at = (q: number) => took[Math.min(took.length - 1, Math.floor(q * took.length))] ?? 0;
  return { p50Ms: round(at(0.5), 2), p99Ms: round(at(0.99), 2) };
}

export const round = (value: number, digits = 0) => Number(value.toFixed(digits));

export const mb = (bytes: number) => round(bytes / 1024 / 1024, 1);

/** Reservoir sample: every item seen has the same chance to be kept. */
export class Reservoir<T> {
  readonly items: T[] = [];
  private seen = 0;

  constructor(
    private readonly size: number,
    private readonly random: () => number,
  ) {}

  offer(item: T): void {
    this.seen += 1;
    if (this.items.length < this.size) this.items.push(item);
    else {
      const slot = Math.floor(this.random() * this.seen);
      if (slot < this.size) this.items[slot] = item;
    }
  }
}

/** Progress on stderr at most every few seconds: the full fill runs for a long time. */
export function progressReporter(label: string, total: number, everyMs = 5_000): (done: number) => void {
  const started = Date.now();
  let lastAt = 0;
  return (done) => {
    const now = Date.now();
    if (now - lastAt < everyMs && done < total) return;
    lastAt = now;
    const rate = done / Math.max(0.001, (now - started) / 1000);
    const etaS = rate > 0 ? (total - done) / rate : 0;
    process.stderr.write(
      `${label}: ${done.toLocaleString('en-US')} / ${total.toLocaleString('en-US')} attempts ` +
        `(${Math.floor((100 * done) / total)} %), ${Math.round(rate)}/s, eta ${Math.round(etaS / 60)} min\n`,
    );
  };
}
