import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { Producer } from 'kafkajs';
import {
  Topics,
  type AttemptRecorded,
  type DeliveryRequested,
  type EndpointSnapshot,
  type OperationalEvent,
} from '@herald/contracts';
import { createKafkaClient } from '@herald/kafka';
import { createDataSource, MIGRATIONS, pendingMigrations, runMigrations } from '@herald/persistence';
import { eventually, type HeraldApiClient, type TestEnvironment } from '@herald/testing';
import { rebuildProjections } from '../../apps/herald/src/commands/rebuild-projections.command';
import { startPipeline, type Pipeline } from '../support/pipeline';

/**
 * The projector writes idempotent, order-independent projections from Herald's own topics, follows
 * endpoint changes made elsewhere, and a rebuild from Kafka gives exactly the live projection.
 */
describe('projections', () => {
  let pipeline: Pipeline;
  let env: TestEnvironment;
  let producer: Producer;
  let db: Client;
  let api: HeraldApiClient;
  let workspaceId: string;

  beforeAll(async () => {
    pipeline = await startPipeline({
      label: 'projections-e2e',
      services: ['api', 'projector'],
      beforeHerald: async ({ env }) => {
        const schema = createDataSource({ DATABASE_URL: env.databaseUrl });
        await schema.initialize();
        // Readiness stays false until this is empty.
        // Every migration, in the order written, on an empty schema; none the second time.
        const all = MIGRATIONS.map((migration) => migration.name);
        expect(all[0]).toBe('InitialSchema1763830000000');
        expect(await pendingMigrations(schema)).toEqual(all);
        expect(await runMigrations(env.databaseUrl)).toEqual(all);
        expect(await runMigrations(env.databaseUrl)).toEqual([]);
        expect(await pendingMigrations(schema)).toEqual([]);
        await schema.destroy();
      },
    });
    ({ env, producer } = pipeline);
    db = new Client({ connectionString: env.databaseUrl });
    await db.connect();
    ({ workspaceId, client: api } = await pipeline.admin.provisionWorkspace(
      `proj-${randomUUID().slice(0, 6)}`,
    ));
  });

  afterAll(async () => {
    await db?.end();
    await pipeline?.stop();
  });

  it('applies endpoint snapshots published by other services, ignoring older versions', async () => {
    const endpoint = await api.createEndpoint(workspaceId, {
      url: 'http://127.0.0.1:9/p',
      eventTypes: ['message.*'],
    });
    const current = await api.call<Record<string, unknown>>(
      'GET',
      `/v1/workspaces/${workspaceId}/endpoints/${endpoint.id}`,
    );
    const snapshots: EndpointSnapshot[] = [];
    const published = (version: number, disabled: boolean, reason: string | null): EndpointSnapshot => ({
      ...(current as unknown as EndpointSnapshot),
      secrets: (current.secrets as { id: string; createdAt: string; expiresAt: string | null }[]).map(
        (s) => ({
          ...s,
          ciphertext: 'unused',
        }),
      ),
      version,
      disabled,
      disabledReason: reason,
    });
    snapshots.push(published(5, true, 'receiver answered 410 Gone'), published(3, false, null));
    // The dispatcher's auto-disable (version 5), then a stale version 3 that must not win.
    await producer.send({
      topic: Topics.subscriptions,
      messages: snapshots.map((s) => ({ key: endpoint.id, value: JSON.stringify(s) })),
    });
    const disabled = await eventually(async () => {
      const view = await api.call<{ version: number; disabled: boolean; disabledReason: string }>(
        'GET',
        `/v1/workspaces/${workspaceId}/endpoints/${endpoint.id}`,
      );
      return view.version === 5 ? view : undefined;
    }, 20_000);
    expect(disabled).toMatchObject({ disabled: true, disabledReason: 'receiver answered 410 Gone' });
    await new Promise((r) => setTimeout(r, 1_000));
    const after = await api.call<{ version: number }>(
      'GET',
      `/v1/workspaces/${workspaceId}/endpoints/${endpoint.id}`,
    );
    expect(after.version).toBe(5);
    // The next change through the API continues from the newest version.
    const patched = await api.call<{ version: number }>(
      'PATCH',
      `/v1/workspaces/${workspaceId}/endpoints/${endpoint.id}`,
      {
        disabled: false,
      },
    );
    expect(patched.version).toBe(6);
  });

  it('derives status from attempts in any order, and a rebuild from Kafka equals the live projection', async () => {
    const endpointId = randomUUID();
    const plans: { outcomes: AttemptRecorded['outcome'][]; manualRetry?: boolean; status: string }[] = [
      { outcomes: [], status: 'pending' },
      { outcomes: ['succeeded'], status: 'succeeded' },
      { outcomes: ['retry_scheduled'], status: 'retrying' },
      { outcomes: ['retry_scheduled', 'retry_scheduled', 'succeeded'], status: 'succeeded' },
      { outcomes: ['retry_scheduled', 'exhausted'], status: 'failed' },
      { outcomes: ['endpoint_disabled'], status: 'failed' },
      { outcomes: ['retry_scheduled', 'exhausted'], manualRetry: true, status: 'retrying' },
    ];
    const expected = new Map<string, string>();
    const requests: DeliveryRequested[] = [];
    const attempts: AttemptRecorded[] = [];
    const base = Date.now() - 60_000;
    for (let n = 0; n < 30; n += 1) {
      const plan = plans[n % plans.length];
      const deliveryId = randomUUID();
      const eventId = randomUUID();
      expected.set(deliveryId, plan.status);
      const request: DeliveryRequested = {
        kind: 'DeliveryRequested',
        deliveryId,
        workspaceId,
        endpointId,
        eventId,
        eventType: n % 2 ? 'lead.created' : 'message.received',
        occurredAt: new Date(base + n).toISOString(),
        attempt: 1,
        payload: JSON.stringify({ n }),
        requestedAt: new Date(base + n * 10).toISOString(),
        createdAt: new Date(base + n * 10).toISOString(),
        trigger: 'event',
      };
      requests.push(request);
      if (plan.manualRetry) {
        requests.push({
          ...request,
          attempt: plan.outcomes.length + 1,
          trigger: 'manual-retry',
          requestedAt: new Date().toISOString(),
        });
      }
      plan.outcomes.forEach((outcome, i) =>
        attempts.push({
          kind: 'AttemptRecorded',
          attemptId: randomUUID(),
          deliveryId,
          workspaceId,
          endpointId,
          eventId,
          eventType: request.eventType,
          attempt: i + 1,
          startedAt: new Date(base + n * 10 + i * 1000 + 1).toISOString(),
          durationMs: 3 + i,
          request: { url: 'http://127.0.0.1:9/p', method: 'POST', headers: {}, bodyRef: deliveryId },
          response: {
            status: outcome === 'succeeded' ? 200 : 500,
            headers: {},
            body: '',
            bodyTruncated: false,
          },
          remoteIp: '127.0.0.1',
          errorClass: outcome === 'succeeded' ? null : 'http_status',
          errorMessage: null,
          outcome,
          nextAttemptAt: outcome === 'retry_scheduled' ? new Date(base + 3_600_000).toISOString() : null,
          traceId: null,
          spanId: null,
          deliveryCreatedAt: request.createdAt,
        }),
      );
    }
    // Attempts reversed and duplicated, partly before their requests; requests duplicated too.
    const shuffled = [...attempts].reverse();
    await producer.send({
      topic: Topics.attempts,
      messages: [...shuffled, ...shuffled.slice(0, 10)].map((a) => ({
        key: a.deliveryId,
        value: JSON.stringify(a),
      })),
    });
    await producer.send({
      topic: Topics.deliveries,
      messages: [...requests, ...requests.slice(0, 5)].map((r) => ({
        key: r.endpointId,
        value: JSON.stringify(r),
      })),
    });
    const operational: OperationalEvent = {
      kind: 'OperationalEvent',
      type: 'endpoint.disabled',
      workspaceId,
      endpointId,
      deliveryId: null,
      reason: 'receiver answered 410',
      at: new Date().toISOString(),
    };
    await producer.send({
      topic: Topics.operational,
      messages: [
        { key: endpointId, value: JSON.stringify(operational) },
        { key: endpointId, value: 'garbage that is skipped' },
      ],
    });

    const statuses = async () => {
      const { rows } = await db.query<{ delivery_id: string; status: string }>(
        `SELECT delivery_id, status FROM delivery_log WHERE endpoint_id = $1`,
        [endpointId],
      );
      return new Map(rows.map((r) => [r.delivery_id, r.status]));
    };
    await eventually(async () => {
      const live = await statuses();
      const ops = await db.query(`SELECT 1 FROM operational_events WHERE endpoint_id = $1`, [endpointId]);
      return live.size === expected.size &&
        [...expected].every(([id, s]) => live.get(id) === s) &&
        ops.rowCount === 1
        ? true
        : undefined;
    }, 30_000);
    const { rows: counted } = await db.query<{ n: string }>(
      `SELECT count(*) AS n FROM attempts WHERE endpoint_id = $1`,
      [endpointId],
    );
    expect(Number(counted[0].n)).toBe(attempts.length);

    const activity = await api.call<{ data: { type: string; reason: string }[] }>(
      'GET',
      `/v1/workspaces/${workspaceId}/endpoints/${endpointId}/operational-events`,
    );
    expect(activity.data).toEqual([
      expect.objectContaining({ type: 'endpoint.disabled', reason: 'receiver answered 410' }),
    ]);

    const live = await dump(db);
    const result = await rebuildProjections({
      databaseUrl: env.databaseUrl,
      kafka: createKafkaClient({ KAFKA_BROKERS: env.kafkaBrokers } as never, 'rebuild-test'),
      timeoutMs: 60_000,
    });
    expect(result.records).toBeGreaterThanOrEqual(attempts.length + requests.length);
    const rebuilt = await dump(db);
    expect(rebuilt.deliveries.length).toBeGreaterThanOrEqual(expected.size);
    expect(rebuilt).toEqual(live);
  });
});

/** Every projection row, in a stable order, for comparing a live projection with a rebuilt one. */
async function dump(db: Client) {
  const query = async (sql: string) => (await db.query(sql)).rows;
  return {
    deliveries: await query(`SELECT * FROM delivery_log ORDER BY delivery_id`),
    payloads: await query(`SELECT * FROM delivery_payloads ORDER BY delivery_id`),
    attempts: await query(`SELECT * FROM attempts ORDER BY attempt_id`),
    bodies: await query(`SELECT * FROM attempt_bodies ORDER BY attempt_id`),
    operational: await query(`SELECT * FROM operational_events ORDER BY id`),
  };
}
