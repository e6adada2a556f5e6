import { randomUUID } from 'node:crypto';
import { DataSource, type Logger } from 'typeorm';
import {
  DeliveryProjectionRepository,
  DeliveryQueryRepository,
  ENTITIES,
  LogMaintenance,
  LogPartitionsRepository,
  PayloadPurgeRepository,
  WorkspaceRepository,
  runMigrations,
} from '@herald/persistence';
import { retentionEnv, retentionSettingsFromEnv } from '@herald/retention';
import { sampleDeliveryRequested, startTestDatabase, type TestDatabase } from '@herald/testing';

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Index Cond'?: string;
  Plans?: PlanNode[];
}

/**
 * Every read the API makes of the partitioned delivery log can be served by an index in every
 * partition it touches: with sequential scans disabled, no plan still needs one, and every index it
 * uses is searched by a condition (not read whole).
 */
describe('delivery log queries', () => {
  let database: TestDatabase;
  let db: DataSource;
  const captured: { sql: string; params: unknown[] }[] = [];

  beforeAll(async () => {
    database = await startTestDatabase();
    await runMigrations(database.databaseUrl);
    const logger: Logger = {
      logQuery: (sql, params) => void captured.push({ sql, params: params ?? [] }),
      logQueryError: () => undefined,
      logQuerySlow: () => undefined,
      logSchemaBuild: () => undefined,
      logMigration: () => undefined,
      log: () => undefined,
    };
    db = new DataSource({
      type: 'postgres',
      url: database.databaseUrl,
      entities: ENTITIES,
      logging: ['query'],
      logger,
    });
    await db.initialize();
    const settings = retentionSettingsFromEnv(retentionEnv.parse({}));
    await new LogMaintenance(new LogPartitionsRepository(db), new WorkspaceRepository(db)).run(settings);
  }, 120_000);

  afterAll(async () => {
    await db?.destroy();
    await database?.stop();
  });

  it('uses an index for every API read', async () => {
    const ws = `ws-${randomUUID()}`;
    const now = new Date();
    const requests = Array.from({ length: 20 }, (_, i) =>
      sampleDeliveryRequested({
        deliveryId: `d-${i}`,
        workspaceId: ws,
        endpointId: `ep-${i % 2}`,
        eventId: `e-${i}`,
        createdAt: new Date(now.getTime() - i * 3_600_000).toISOString(),
      }),
    );
    await new DeliveryProjectionRepository(db).applyDeliveryRequests(requests);
    await db.query('ANALYZE');

    captured.length = 0;
    const queries = new DeliveryQueryRepository(db);
    const since = new Date(now.getTime() - 30 * 86_400_000);
    const after = { createdAt: now, deliveryId: 'd-9' };
    await queries.list({ workspaceId: ws, limit: 51 }, since);
    await queries.list({ workspaceId: ws, endpointId: 'ep-1', status: 'failed', limit: 51, after }, since);
    await queries.list({ workspaceId: ws, eventId: 'e-3', limit: 51 }, since);
    await queries.list(
      { workspaceId: ws, eventType: 'message.created', test: false, since, limit: 51 },
      since,
    );
    const found = await queries.find(ws, 'd-3', since);
    expect(found?.payload).toBe(requests[3].payload);
    await queries.attempts(found!);
    await queries.failedInWindow(ws, 'ep-1', since, now, after, 500);
    await queries.countFailedInWindow(ws, 'ep-1', since, now);
    await queries.operationalEvents(ws, 'ep-1', 50, since);
    const purge = new PayloadPurgeRepository(db);
    for (const scope of [
      { by: 'event', eventId: 'e-3' },
      { by: 'endpoint', endpointId: 'ep-1' },
      { by: 'before', before: now },
    ] as const) {
      await purge.count(ws, scope);
      await purge.page(ws, scope, after, 100);
    }
    const reads = captured.filter(
      (q) => /^\s*SELECT/i.test(q.sql) && /deliveries|delivery_log|attempts|operational_events/.test(q.sql),
    );
    expect(reads.length).toBeGreaterThanOrEqual(15);

    const runner = db.createQueryRunner();
    await runner.connect();
    try {
      await runner.query('SET enable_seqscan = off');
      // Twenty rows make a merge join over a whole primary key the cheapest join; at size the planner
      // joins a page's rows by key lookups, which is what this test pins down.
      await runner.query('SET enable_mergejoin = off');
      await runner.query('SET enable_hashjoin = off');
      for (const { sql, params } of reads) {
        const [{ 'QUERY PLAN': plan }] = (await runner.query(`EXPLAIN (FORMAT JSON) ${sql}`, params)) as {
          'QUERY PLAN': { Plan: PlanNode }[];
        }[];
        const scans = unindexedScans(plan[0].Plan);
        expect({ sql, scans }).toEqual({ sql, scans: [] });
      }
    } finally {
      await runner.release();
    }
  });
});

/** Sequential scans, and index scans without a search condition (a whole index read). */
function unindexedScans(node: PlanNode): string[] {
  const type = node['Node Type'];
  const own =
    type === 'Seq Scan'
      ? [`seq ${node['Relation Name']}`]
      : /Index/.test(type) && !node['Index Cond']
        ? [`whole ${node['Index Name']}`]
        : [];
  return [...own, ...(node.Plans ?? []).flatMap(unindexedScans)];
}
