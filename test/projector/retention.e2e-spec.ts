import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { Topics, type DeliveryRequested } from '@herald/contracts';
import { HeraldApiClient, eventually, sampleAttemptRecorded, sampleDeliveryRequested } from '@herald/testing';
import { maintainLogCommand } from '../../apps/herald/src/commands/maintain-log.command';
import { startPipeline, type Pipeline } from '../support/pipeline';

const DAY = 86_400_000;
type Removed = { reason: string; at: string } | null;
interface DeliveryBody {
  id: string;
  payload: string | null;
  payloadRemoved: Removed;
  attempts: { response: { body: string | null } | null; responseRemoved: Removed }[];
}

/**
 * Retention on the real projector, API and Postgres: records kept 3 days, bodies 1 day. Deliveries
 * created 4 days ago, 2 days ago and now are projected into their days' partitions (made beforehand by
 * a maintenance run with a longer window, as a long-running install would have them). The API answers
 * by the retention rule before maintenance runs and the same after it, once maintenance dropped the
 * 4-day-old partitions of every table and the 2-day-old body partitions, and kept the rest.
 */
describe('delivery log retention', () => {
  let pipeline: Pipeline;
  let db: Client;
  let api: HeraldApiClient;
  let workspaceId: string;
  const now = Date.now();
  const ages = { old: 4, middle: 2, fresh: 0 } as const;
  const seeded: Record<keyof typeof ages, DeliveryRequested> = {} as never;
  const retention = { HERALD_RETENTION_DAYS: '3', HERALD_BODY_RETENTION_DAYS: '1' };

  beforeAll(async () => {
    pipeline = await startPipeline({
      label: 'retention-test',
      migrate: true,
      services: ['api', 'projector'],
      heraldEnv: { ...retention, HERALD_LOG_MAINTENANCE: 'external' },
      // A 10-day window makes the past days' partitions, as they would exist on a running install.
      beforeHerald: async ({ env }) => {
        await maintainLogCommand({
          DATABASE_URL: env.databaseUrl,
          HERALD_RETENTION_DAYS: '10',
          HERALD_BODY_RETENTION_DAYS: '10',
        });
      },
    });
    db = new Client({ connectionString: pipeline.env.databaseUrl });
    await db.connect();
    ({ workspaceId, client: api } = await pipeline.admin.provisionWorkspace(
      `ret-${randomUUID().slice(0, 6)}`,
    ));
    const endpoint = await api.createEndpoint(workspaceId, {
      url: 'http://127.0.0.1:9/r',
      eventTypes: ['message.*'],
    });
    for (const [name, days] of Object.entries(ages) as [keyof typeof ages, number][]) {
      seeded[name] = await seed(endpoint.id, new Date(now - days * DAY - 60_000));
    }
    // Projected: every delivery has its payload row and its attempt's body row.
    await eventually(async () => {
      const { rows } = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM delivery_payloads p JOIN attempt_bodies b USING (delivery_id)
          WHERE p.delivery_id = ANY($1)`,
        [Object.values(seeded).map((s) => s.deliveryId)],
      );
      return rows[0].n === 3 ? true : undefined;
    }, 30_000);
  }, 180_000);

  afterAll(async () => {
    await db?.end();
    await pipeline?.stop();
  });

  async function seed(endpointId: string, at: Date): Promise<DeliveryRequested> {
    const time = at.toISOString();
    const request = sampleDeliveryRequested({
      deliveryId: randomUUID(),
      workspaceId,
      endpointId,
      eventId: randomUUID(),
      occurredAt: time,
      requestedAt: time,
      createdAt: time,
      payload: JSON.stringify({ at: time }),
    });
    const attempt = sampleAttemptRecorded(request, {
      response: {
        status: 200,
        headers: { 'x-ref': 'r' },
        body: `reply ${request.deliveryId}`,
        bodyTruncated: false,
      },
    });
    await pipeline.producer.send({
      topic: Topics.deliveries,
      messages: [{ key: endpointId, value: JSON.stringify(request) }],
    });
    await pipeline.producer.send({
      topic: Topics.attempts,
      messages: [{ key: request.deliveryId, value: JSON.stringify(attempt) }],
    });
    return request;
  }

  const dayOf = (ageDays: number) =>
    new Date(now - ageDays * DAY - 60_000).toISOString().slice(0, 10).replace(/-/g, '');

  async function partitions(): Promise<Set<string>> {
    const { rows } = await db.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid`,
    );
    return new Set(rows.map((r) => r.name));
  }

  async function expectApiByRetention(): Promise<void> {
    const list = await api.call<{ data: { id: string }[] }>(
      'GET',
      `/v1/workspaces/${workspaceId}/deliveries`,
    );
    expect(list.data.map((d) => d.id).sort()).toEqual(
      [seeded.middle.deliveryId, seeded.fresh.deliveryId].sort(),
    );
    const old = await api.request('GET', `/v1/workspaces/${workspaceId}/deliveries/${seeded.old.deliveryId}`);
    expect(old.status).toBe(404);

    const middle = await api.call<DeliveryBody>(
      'GET',
      `/v1/workspaces/${workspaceId}/deliveries/${seeded.middle.deliveryId}`,
    );
    const removedAt = new Date(Date.parse(seeded.middle.createdAt!) + DAY).toISOString();
    expect(middle.payload).toBeNull();
    expect(middle.payloadRemoved).toEqual({ reason: 'retention', at: removedAt });
    expect(middle.attempts).toHaveLength(1);
    expect(middle.attempts[0].response?.body).toBeNull();
    expect(middle.attempts[0].responseRemoved).toEqual({ reason: 'retention', at: removedAt });

    const fresh = await api.call<DeliveryBody>(
      'GET',
      `/v1/workspaces/${workspaceId}/deliveries/${seeded.fresh.deliveryId}`,
    );
    expect(fresh.payload).toBe(seeded.fresh.payload);
    expect(fresh.payloadRemoved).toBeNull();
    expect(fresh.attempts[0].response?.body).toBe(`reply ${seeded.fresh.deliveryId}`);
    expect(fresh.attempts[0].responseRemoved).toBeNull();
  }

  it('answers by the retention rule before maintenance has removed anything', async () => {
    const before = await partitions();
    for (const table of ['deliveries', 'attempts', 'delivery_payloads', 'attempt_bodies']) {
      expect(before).toContain(`${table}_p${dayOf(ages.old)}`);
    }
    await expectApiByRetention();
  });

  it('drops the aged partitions, keeps the rest, and the API answers the same', async () => {
    const report = await maintainLogCommand({ DATABASE_URL: pipeline.env.databaseUrl, ...retention });
    const after = await partitions();
    for (const table of [
      'deliveries',
      'attempts',
      'operational_events',
      'delivery_payloads',
      'attempt_bodies',
    ]) {
      expect(after).not.toContain(`${table}_p${dayOf(ages.old)}`);
      expect(report.dropped).toContain(`${table}_p${dayOf(ages.old)}`);
    }
    for (const table of ['deliveries', 'attempts', 'operational_events']) {
      expect(after).toContain(`${table}_p${dayOf(ages.middle)}`);
    }
    for (const table of ['delivery_payloads', 'attempt_bodies']) {
      expect(after).not.toContain(`${table}_p${dayOf(ages.middle)}`);
      expect(after).toContain(`${table}_p${dayOf(ages.fresh)}`);
    }
    // Tomorrow's partitions exist before anything is written for tomorrow.
    expect(after).toContain(`deliveries_p${dayOf(-1)}`);
    await expectApiByRetention();
    const { rows } = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM deliveries WHERE delivery_id = $1`,
      [seeded.old.deliveryId],
    );
    expect(rows[0].n).toBe(0);
  });
});
