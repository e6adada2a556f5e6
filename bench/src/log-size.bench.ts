import type { DataSource } from 'typeorm';
import {
  createDataSource,
  DeliveryProjectionRepository,
  DeliveryQueryRepository,
  runMigrations,
} from '@herald/persistence';
import { runStandalone, type BenchScenario } from './bench-scenario';
import { benchDatabase } from './log-size-database';
import { LogStream, seededRandom, type SampledDelivery } from './log-size-records';
import { mb, progressReporter, Reservoir, round, rowCount, tableSizes, timeCalls } from './log-size-measure';
import { dropOldestDay, prepareDays } from './log-size-partitions';

const DAY_MS = 86_400_000;
const WORKSPACES = 16;
const ENDPOINTS_PER_WORKSPACE = 4;
/** The API's default page (50) plus the one row it reads to know whether there is a next page. */
const PAGE = 51;

/** `--name=value` on the command line, else the environment variable, else the default. */
function setting(flag: string, env: string, fallback: number): number {
  const arg = process.argv.find((a) => a.startsWith(`--${flag}=`))?.slice(flag.length + 3);
  const value = Number(arg ?? process.env[env] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${flag} / ${env} must be a positive integer`);
  return value;
}

/**
 * The delivery log at size. Fills it with N attempts (10,000,000 in the full run) through the
 * projector's own write path, spread over several days of created_at, by a few writers at once (the
 * projector runs partitions concurrently; each writer owns its workspaces, so they never touch the same
 * rows). Then: size on disk per table, bytes per delivery and per attempt, the API's read calls timed
 * one at a time against random deliveries, and how long dropping the oldest day's partitions takes.
 * `--attempts=N` (HERALD_BENCH_LOG_ATTEMPTS), `--days=D` (HERALD_BENCH_LOG_DAYS) and `--writers=W`
 * (HERALD_BENCH_LOG_WRITERS) change the shape.
 */
export const scenario: BenchScenario = {
  name: 'log-size',
  async run({ quick }) {
    const total = setting('attempts', 'HERALD_BENCH_LOG_ATTEMPTS', quick ? 20_000 : 10_000_000);
    const days = setting('days', 'HERALD_BENCH_LOG_DAYS', quick ? 3 : 7);
    const writers = setting('writers', 'HERALD_BENCH_LOG_WRITERS', 2);
    const samplesPerQuery = quick ? 50 : 300;
    const database = await benchDatabase();
    let db: DataSource | undefined;
    try {
      await runMigrations(database.url);
      db = createDataSource({
        DATABASE_URL: database.url,
        DATABASE_POOL_SIZE: writers + 1,
        DATABASE_STATEMENT_TIMEOUT_MS: 3_600_000,
        applicationName: 'herald-bench-log-size',
      });
      await db.initialize();
      // Whole UTC days, the last one today: the oldest is the one a retention sweep would drop first.
      const todayStart = Math.floor(Date.now() / DAY_MS) * DAY_MS;
      const startMs = todayStart - (days - 1) * DAY_MS;
      const endMs = todayStart + DAY_MS - 1;
      await prepareDays(db, new Date(startMs), days);

      const fill = await fillLog(db, { total, writers, startMs, endMs });
      const vacuumStarted = Date.now();
      await db.query('VACUUM ANALYZE');
      const vacuumS = (Date.now() - vacuumStarted) / 1000;

      const deliveries = await rowCount(db, 'deliveries');
      const attempts = await rowCount(db, 'attempts');
      const sizes = await tableSizes(db);
      const size = (names: string[]) =>
        sizes.filter((s) => names.includes(s.table)).reduce((sum, s) => sum + s.tableBytes + s.indexBytes, 0);
      const sizeRows: Record<string, number> = {};
      for (const s of sizes) {
        sizeRows[`${s.table}_table_mb`] = mb(s.tableBytes);
        sizeRows[`${s.table}_index_mb`] = mb(s.indexBytes);
        sizeRows[`${s.table}_partitions`] = s.partitions;
      }
      const queries = await timeQueries(db, fill.sample, samplesPerQuery);
      const drop = await dropOldestDay(db, new Date(startMs));
      return {
        attempts,
        deliveries,
        days,
        workspaces: WORKSPACES,
        endpoints: WORKSPACES * ENDPOINTS_PER_WORKSPACE,
        writers,
        fill_s: round(fill.seconds, 1),
        insert_attempts_per_s: Math.round(fill.attempts / fill.seconds),
        insert_deliveries_per_s: Math.round(fill.deliveries / fill.seconds),
        vacuum_analyze_s: round(vacuumS, 1),
        ...sizeRows,
        total_mb: mb(sizes.reduce((sum, s) => sum + s.tableBytes + s.indexBytes, 0)),
        // A delivery's bytes are its row and indexes plus its payload row; an attempt's, its row,
        // indexes and response body row. "records" leaves the bodies out (what is kept past body retention).
        bytes_per_delivery: Math.round(size(['deliveries', 'delivery_payloads']) / deliveries),
        bytes_per_delivery_records: Math.round(size(['deliveries']) / deliveries),
        bytes_per_attempt: Math.round(size(['attempts', 'attempt_bodies']) / attempts),
        bytes_per_attempt_records: Math.round(size(['attempts']) / attempts),
        query_samples: samplesPerQuery,
        ...queries,
        ...drop,
      };
    } finally {
      await db?.destroy().catch(() => undefined);
      await database.drop();
    }
  },
};

async function fillLog(
  db: DataSource,
  shape: { total: number; writers: number; startMs: number; endMs: number },
): Promise<{ seconds: number; attempts: number; deliveries: number; sample: SampledDelivery[] }> {
  const repository = new DeliveryProjectionRepository(db);
  const reservoir = new Reservoir<SampledDelivery>(2_000, seededRandom(7));
  const workspaces = Array.from({ length: WORKSPACES }, (_, i) => `ws_bench_${String(i).padStart(2, '0')}`);
  const streams = Array.from(
    { length: shape.writers },
    (_, w) =>
      new LogStream({
        workspaces: workspaces.filter((_, i) => i % shape.writers === w),
        endpointsPerWorkspace: ENDPOINTS_PER_WORKSPACE,
        startMs: shape.startMs,
        endMs: shape.endMs,
        attempts: Math.ceil(shape.total / shape.writers),
        perTick: 300,
        seed: 1_000 + w,
      }),
  );
  const report = progressReporter('log-size', shape.total);
  let attempts = 0;
  let deliveries = 0;
  const started = Date.now();
  await Promise.all(
    streams.map(async (stream) => {
      while (!stream.done) {
        const batch = stream.next((d) => reservoir.offer(d));
        // As the projector sees them: requests on herald.deliveries, attempts on herald.attempts.
        await repository.applyDeliveryRequests(batch.requests);
        await repository.applyAttempts(batch.attempts);
        attempts += batch.attempts.length;
        deliveries += batch.deliveries;
        report(attempts);
      }
    }),
  );
  return { seconds: (Date.now() - started) / 1000, attempts, deliveries, sample: reservoir.items };
}

/** p50/p99 of each API read, through the query repository the API uses. */
async function timeQueries(
  db: DataSource,
  sample: SampledDelivery[],
  count: number,
): Promise<Record<string, number>> {
  const queries = new DeliveryQueryRepository(db);
  const random = seededRandom(11);
  const picks = Array.from({ length: count }, () => sample[Math.floor(random() * sample.length)]);
  // Reads bound the partition key by the retention window, as the API does.
  const since = new Date(Math.min(...sample.map((d) => d.createdAt)) - 1);
  const calls: Record<string, (d: SampledDelivery) => Promise<unknown>> = {
    list_newest: (d) => queries.list({ workspaceId: d.workspaceId, limit: PAGE }, since),
    list_by_endpoint: (d) =>
      queries.list({ workspaceId: d.workspaceId, endpointId: d.endpointId, limit: PAGE }, since),
    list_by_status_failed: (d) =>
      queries.list({ workspaceId: d.workspaceId, status: 'failed', limit: PAGE }, since),
    list_by_event_id: (d) =>
      queries.list({ workspaceId: d.workspaceId, eventId: d.eventId, limit: PAGE }, since),
    find_by_id: (d) => queries.find(d.workspaceId, d.deliveryId, since),
    attempts_of_delivery: (d) =>
      queries.attempts({ deliveryId: d.deliveryId, createdAt: new Date(d.createdAt) }),
  };
  const out: Record<string, number> = {};
  for (const [name, call] of Object.entries(calls)) {
    // One untimed pass first, so the figures are not the first read of each index from disk.
    await call(picks[0]);
    const { p50Ms, p99Ms } = await timeCalls(picks, call);
    out[`${name}_p50_ms`] = p50Ms;
    out[`${name}_p99_ms`] = p99Ms;
  }
  return out;
}

if (require.main === module) runStandalone(scenario);
