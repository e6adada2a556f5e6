import { DataSource } from 'typeorm';
import { ENTITIES, MIGRATIONS } from '@herald/persistence';
import { startTestDatabase, type TestDatabase } from '@herald/testing';

const PARTITIONED = MIGRATIONS.findIndex((m) => m.name === 'PartitionedDeliveryLog1764850000000');

/**
 * Upgrading an install that has a delivery log: migration 1764850000000 moves every row into the
 * partitioned tables with its summary derived from its attempts and its bodies in their own tables,
 * and reverting it gives the rows back.
 */
describe('partitioned delivery log migration', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await startTestDatabase();
  }, 120_000);

  afterAll(async () => {
    await database?.stop();
  });

  const dataSource = (migrations: typeof MIGRATIONS) =>
    new DataSource({
      type: 'postgres',
      url: database.databaseUrl,
      entities: ENTITIES,
      migrations,
      migrationsTableName: 'herald_migrations',
    });

  it('keeps every delivery, attempt, body and event across the upgrade and back', async () => {
    const before = dataSource(MIGRATIONS.slice(0, PARTITIONED));
    await before.initialize();
    await before.runMigrations();
    await before.query(`
      INSERT INTO deliveries (delivery_id, workspace_id, endpoint_id, event_id, event_type, occurred_at, payload,
        trigger, created_at, max_requested_attempt, status, attempt_count, last_attempt_at, last_response_status)
      VALUES ('d1', 'ws', 'ep', 'e1', 'message.created', '2026-11-20T10:00:00Z', '{"a":1}', 'event',
                '2026-11-20T10:00:01Z', 2, 'succeeded', 2, '2026-11-20T10:05:00Z', 200),
             ('d2', 'ws', 'ep', 'e2', 'message.created', NULL, NULL, NULL, '2026-11-25T08:00:00Z', 0,
                'pending', 0, NULL, NULL)`);
    await before.query(`
      INSERT INTO attempts (attempt_id, delivery_id, workspace_id, endpoint_id, event_id, event_type, attempt,
        started_at, duration_ms, request, response, outcome)
      VALUES ('a1', 'd1', 'ws', 'ep', 'e1', 'message.created', 1, '2026-11-20T10:00:02Z', 5, '{}',
                '{"status":503,"headers":{"x":"1"},"body":"busy","bodyTruncated":false}', 'retry_scheduled'),
             ('a2', 'd1', 'ws', 'ep', 'e1', 'message.created', 2, '2026-11-20T10:05:00Z', 5, '{}',
                '{"status":200,"headers":{},"body":"ok","bodyTruncated":false}', 'succeeded')`);
    await before.query(`INSERT INTO operational_events (id, workspace_id, endpoint_id, type, reason, at)
      VALUES ('herald.operational:0:1', 'ws', 'ep', 'endpoint.disabled', 'gone', '2026-11-21T00:00:00Z')`);
    await before.destroy();

    const all = dataSource(MIGRATIONS);
    await all.initialize();
    await all.runMigrations();
    const [d1] = (await all.query(
      `SELECT l.status, l.attempt_count, l.any_success, l.last_attempt, l.last_attempt_id, l.last_outcome,
              l.last_response_status, d.tableoid::regclass::text AS partition
         FROM delivery_log l JOIN deliveries d USING (delivery_id, created_at) WHERE delivery_id = 'd1'`,
    )) as Record<string, unknown>[];
    expect(d1).toEqual({
      status: 'succeeded',
      attempt_count: 2,
      any_success: true,
      last_attempt: 2,
      last_attempt_id: 'a2',
      last_outcome: 'succeeded',
      last_response_status: 200,
      partition: 'deliveries_p20261120',
    });
    expect(await all.query(`SELECT delivery_id, payload FROM delivery_payloads ORDER BY 1`)).toEqual([
      { delivery_id: 'd1', payload: '{"a":1}' },
    ]);
    expect(
      await all.query(`SELECT attempt_id, response_status, delivery_created_at FROM attempts ORDER BY 1`),
    ).toEqual([
      { attempt_id: 'a1', response_status: 503, delivery_created_at: new Date('2026-11-20T10:00:01Z') },
      { attempt_id: 'a2', response_status: 200, delivery_created_at: new Date('2026-11-20T10:00:01Z') },
    ]);
    expect(await all.query(`SELECT attempt_id, headers, body FROM attempt_bodies ORDER BY 1`)).toEqual([
      { attempt_id: 'a1', headers: { x: '1' }, body: 'busy' },
      { attempt_id: 'a2', headers: {}, body: 'ok' },
    ]);
    expect(await all.query(`SELECT count(*)::int AS n FROM operational_events`)).toEqual([{ n: 1 }]);
    // Ids compare byte by byte, on the partitions too (LogIdCollation1764890000000).
    expect(
      await all.query(`SELECT table_name, collation_name FROM information_schema.columns
        WHERE column_name = 'delivery_id' AND table_name IN ('deliveries', 'deliveries_p20261120', 'attempts')
        ORDER BY 1`),
    ).toEqual([
      { table_name: 'attempts', collation_name: 'C' },
      { table_name: 'deliveries', collation_name: 'C' },
      { table_name: 'deliveries_p20261120', collation_name: 'C' },
    ]);

    // Back down past the partitioning (and every later migration): the single tables again, with the
    // bodies folded back in.
    for (let i = MIGRATIONS.length; i > PARTITIONED; i--) await all.undoLastMigration();
    const [a1] = (await all.query(`SELECT response FROM attempts WHERE attempt_id = 'a1'`)) as {
      response: unknown;
    }[];
    expect(a1.response).toEqual({ status: 503, headers: { x: '1' }, body: 'busy', bodyTruncated: false });
    expect(await all.query(`SELECT delivery_id, payload, status FROM deliveries ORDER BY 1`)).toEqual([
      { delivery_id: 'd1', payload: '{"a":1}', status: 'succeeded' },
      { delivery_id: 'd2', payload: null, status: 'pending' },
    ]);
    await all.runMigrations();
    expect(await all.query(`SELECT count(*)::int AS n FROM attempt_bodies`)).toEqual([{ n: 2 }]);
    await all.destroy();
  });
});
