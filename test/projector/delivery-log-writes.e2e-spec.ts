import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { AttemptOutcome, AttemptRecorded, DeliveryRequested } from '@herald/contracts';
import {
  EMPTY_SUMMARY,
  deliveryStatus,
  mergeSummaries,
  summaryOf,
  type DeliveryStatus,
} from '@herald/delivery';
import { type DeliveryProjectionRepository, PayloadPurgeRepository } from '@herald/persistence';
import { pollUntil, sampleAttemptRecorded, sampleDeliveryRequested } from '@herald/testing';
import { startProjectionDatabase, type ProjectionDatabase } from '../support/projection-database';

/**
 * The projector's write path against real Postgres: whatever the order, batching, duplication and
 * concurrency of the records, every delivery row equals what the status rule gives from scratch, and
 * applying everything again changes no row.
 */
describe('delivery log writes', () => {
  let store: ProjectionDatabase | undefined;
  let db: DataSource;
  let projection: DeliveryProjectionRepository;

  beforeAll(async () => {
    store = await startProjectionDatabase();
    ({ db, projection } = store);
  }, 120_000);

  afterAll(async () => {
    await store?.stop();
  });

  it('converges to the rule from scratch under shuffled, duplicated and concurrent batches', async () => {
    const random = seeded(7);
    const workspaceId = `ws-${randomUUID()}`;
    const deliveries = Array.from({ length: 120 }, (_, i) => plannedDelivery(workspaceId, i, random));
    const records: (DeliveryRequested | AttemptRecorded)[] = deliveries.flatMap((d) => [
      ...d.requests,
      ...d.attempts,
    ]);
    // Every record once, then a third of them again, in one random order, cut into uneven batches
    // applied by three writers at once.
    const stream = shuffle([...records, ...records.filter(() => random() < 0.33)], random);
    const batches = cut(stream, random);
    await Promise.all(
      [0, 1, 2].map(async (writer) => {
        for (let i = writer; i < batches.length; i += 3) await apply(projection, batches[i]);
      }),
    );

    const rows = await rowsOf(db, workspaceId);
    expect(rows.size).toBe(deliveries.length);
    for (const d of deliveries) {
      expect({ id: d.id, ...rows.get(d.id) }).toEqual({ id: d.id, ...expectedRow(d) });
    }
    const [{ bodies }] = (await db.query(
      `SELECT count(*)::int AS bodies FROM attempt_bodies b JOIN attempts a USING (delivery_id, delivery_created_at, attempt_id)
        WHERE a.workspace_id = $1`,
      [workspaceId],
    )) as { bodies: number }[];
    expect(bodies).toBe(deliveries.reduce((n, d) => n + d.attempts.filter((a) => a.response).length, 0));

    // A full replay, in another order, leaves every row as it was.
    const before = await dump(db, workspaceId);
    for (const batch of cut(shuffle(records, random), random)) await apply(projection, batch);
    expect(await dump(db, workspaceId)).toEqual(before);
  });

  it('never stores a purged delivery body again, from replays or from later attempts', async () => {
    const workspaceId = `ws-${randomUUID()}`;
    const d = plannedDelivery(workspaceId, 0, seeded(3), 3);
    const [first, ...later] = d.attempts;
    await projection.applyDeliveryRequests(d.requests);
    await projection.applyAttempts([first]);
    const purge = new PayloadPurgeRepository(db);
    const keys = await purge.page(workspaceId, { by: 'event', eventId: d.eventId }, null, 10);
    const erased = await purge.erase(workspaceId, keys, { at: new Date(), reason: 'purged' });
    expect(erased).toMatchObject({ deliveries: 1, attempts: first.response ? 1 : 0 });

    await projection.applyDeliveryRequests(d.requests);
    await projection.applyAttempts(d.attempts);
    const [row] = (await db.query(
      `SELECT p.payload, (SELECT count(*)::int FROM attempt_bodies b WHERE b.delivery_id = p.delivery_id) AS bodies,
              (SELECT count(*)::int FROM attempts a WHERE a.delivery_id = p.delivery_id) AS attempts
         FROM delivery_payloads p WHERE p.delivery_id = $1`,
      [d.id],
    )) as { payload: string | null; bodies: number; attempts: number }[];
    expect(row).toEqual({ payload: null, bodies: 0, attempts: 1 + later.length });
  });

  it('stores no body for an attempt projected while a purge of its delivery is under way', async () => {
    const workspaceId = `ws-${randomUUID()}`;
    const d = plannedDelivery(workspaceId, 0, seeded(5), 2);
    const answered = { status: 503, headers: {}, body: 'late body', bodyTruncated: false };
    const [first, second] = d.attempts.map((a) => ({ ...a, response: answered }));
    await projection.applyDeliveryRequests(d.requests);
    await projection.applyAttempts([first]);

    // A purge that has locked the delivery (as PayloadPurgeRepository.erase does) and not committed yet.
    const purge = db.createQueryRunner();
    await purge.connect();
    await purge.startTransaction('READ COMMITTED');
    try {
      await purge.query(`SELECT 1 FROM deliveries WHERE delivery_id = $1 FOR UPDATE`, [d.id]);
      const projecting = projection.applyAttempts([second]);
      // The projector's statement must wait for the purge's lock, not read the row as it was.
      await pollUntil(
        async () => {
          const waiting = (await db.query(
            `SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%INSERT INTO attempts%'`,
          )) as unknown[];
          return waiting.length > 0;
        },
        10_000,
        20,
        () => 'the attempts statement never waited for the purge',
      );
      await purge.query(
        `UPDATE deliveries SET payload_removed_at = now(), payload_removed_reason = 'purged' WHERE delivery_id = $1`,
        [d.id],
      );
      await purge.query(`DELETE FROM attempt_bodies WHERE delivery_id = $1`, [d.id]);
      await purge.commitTransaction();
      await projecting;
    } finally {
      if (purge.isTransactionActive) await purge.rollbackTransaction();
      await purge.release();
    }
    const bodies = (await db.query(`SELECT attempt_id FROM attempt_bodies WHERE delivery_id = $1`, [
      d.id,
    ])) as {
      attempt_id: string;
    }[];
    expect(bodies).toEqual([]);
    const attempts = (await db.query(`SELECT count(*)::int AS n FROM attempts WHERE delivery_id = $1`, [
      d.id,
    ])) as {
      n: number;
    }[];
    expect(attempts).toEqual([{ n: 2 }]);
  });
});

interface Planned {
  id: string;
  eventId: string;
  createdAt: string;
  requests: DeliveryRequested[];
  attempts: AttemptRecorded[];
  maxRequested: number;
}

function plannedDelivery(workspaceId: string, i: number, random: () => number, count?: number): Planned {
  const id = `dlv-${workspaceId}-${i}`;
  const eventId = `evt-${i}`;
  const created = Date.parse('2026-12-01T10:00:00Z') + i * 1000;
  const createdAt = new Date(created).toISOString();
  const n = count ?? 1 + Math.floor(random() * 4);
  const outcomes: AttemptOutcome[] = Array.from({ length: n }, (_, k) =>
    k < n - 1
      ? 'retry_scheduled'
      : (['succeeded', 'exhausted', 'retry_scheduled', 'endpoint_disabled'] as const)[
          Math.floor(random() * 4)
        ],
  );
  // Sometimes the next attempt was requested but has not been made yet.
  const maxRequested = outcomes[n - 1] === 'retry_scheduled' && random() < 0.5 ? n + 1 : n;
  const requests = Array.from({ length: maxRequested }, (_, k) =>
    sampleDeliveryRequested({
      deliveryId: id,
      workspaceId,
      endpointId: 'ep-1',
      eventId,
      attempt: k + 1,
      trigger: k === 0 ? 'event' : 'retry',
      payload: JSON.stringify({ i }),
      occurredAt: createdAt,
      requestedAt: new Date(created + k * 500).toISOString(),
      createdAt,
    }),
  );
  const attempts = outcomes.map((outcome, k): AttemptRecorded =>
    sampleAttemptRecorded(requests[k], {
      attemptId: `${id}-a${k + 1}`,
      startedAt: new Date(created + k * 500 + 10).toISOString(),
      response:
        random() < 0.8
          ? {
              status: outcome === 'succeeded' ? 200 : 503,
              headers: { 'x-k': String(k) },
              body: `b${k}`,
              bodyTruncated: false,
            }
          : null,
      outcome,
      nextAttemptAt: outcome === 'retry_scheduled' ? new Date(created + (k + 1) * 500).toISOString() : null,
    }),
  );
  return { id, eventId, createdAt, requests, attempts, maxRequested };
}

function expectedRow(d: Planned) {
  const summary = d.attempts
    .map((a) =>
      summaryOf({
        attempt: a.attempt,
        startedAt: Date.parse(a.startedAt),
        attemptId: a.attemptId,
        outcome: a.outcome,
      }),
    )
    .reduce(mergeSummaries, EMPTY_SUMMARY);
  const last = d.attempts.find((a) => a.attemptId === summary.last?.attemptId)!;
  return {
    status: deliveryStatus(summary, d.maxRequested) as DeliveryStatus,
    attempt_count: d.attempts.length,
    max_requested_attempt: d.maxRequested,
    last_attempt_id: last.attemptId,
    last_response_status: last.response?.status ?? null,
    last_attempt_at: new Date(Math.max(...d.attempts.map((a) => Date.parse(a.startedAt)))).toISOString(),
    trigger: 'event',
    payload: d.requests[0].payload,
  };
}

async function apply(
  projection: DeliveryProjectionRepository,
  batch: (DeliveryRequested | AttemptRecorded)[],
) {
  await projection.applyDeliveryRequests(
    batch.filter((r): r is DeliveryRequested => r.kind === 'DeliveryRequested'),
  );
  await projection.applyAttempts(batch.filter((r): r is AttemptRecorded => r.kind === 'AttemptRecorded'));
}

async function rowsOf(db: DataSource, workspaceId: string) {
  const rows = (await db.query(
    `SELECT d.delivery_id, d.status, d.attempt_count, d.max_requested_attempt, d.last_attempt_id,
            d.last_response_status, d.last_attempt_at, d.trigger, p.payload
       FROM delivery_log d LEFT JOIN delivery_payloads p USING (delivery_id, created_at)
      WHERE d.workspace_id = $1`,
    [workspaceId],
  )) as ({ delivery_id: string; last_attempt_at: Date } & Record<string, unknown>)[];
  return new Map(
    rows.map(({ delivery_id, last_attempt_at, ...rest }) => [
      delivery_id,
      { ...rest, last_attempt_at: last_attempt_at.toISOString() },
    ]),
  );
}

async function dump(db: DataSource, workspaceId: string) {
  return {
    deliveries: await db.query(`SELECT * FROM delivery_log WHERE workspace_id = $1 ORDER BY delivery_id`, [
      workspaceId,
    ]),
    attempts: await db.query(`SELECT * FROM attempts WHERE workspace_id = $1 ORDER BY attempt_id`, [
      workspaceId,
    ]),
    bodies: await db.query(
      `SELECT b.* FROM attempt_bodies b JOIN attempts a USING (delivery_id, delivery_created_at, attempt_id)
        WHERE a.workspace_id = $1 ORDER BY attempt_id`,
      [workspaceId],
    ),
  };
}

function seeded(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
}

function shuffle<T>(items: T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

function cut<T>(items: T[], random: () => number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length;) {
    const size = 1 + Math.floor(random() * 40);
    out.push(items.slice(i, i + size));
    i += size;
  }
  return out;
}
