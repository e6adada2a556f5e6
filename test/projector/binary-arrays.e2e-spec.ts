import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { AttemptRecorded } from '@herald/contracts';
import {
  type DeliveryProjectionRepository,
  boolArray,
  int4Array,
  jsonbArray,
  textArray,
  timestamptzArray,
} from '@herald/persistence';
import { sampleAttemptRecorded, sampleDeliveryRequested } from '@herald/testing';
import { startProjectionDatabase, type ProjectionDatabase } from '../support/projection-database';

/**
 * The projector's parameters go to Postgres as binary arrays (pg-binary-array.ts). Against a real
 * server: each encoder reads back exactly what Postgres's own text input makes of the same values, and
 * awkward values written through the projector's statements come back unchanged.
 */
describe('binary array parameters', () => {
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

  const UTC_US = `'YYYY-MM-DD"T"HH24:MI:SS.US'`;

  /** Rows where the binary array ($1) and pg's text literal of the same values ($2) differ. */
  async function differences(type: string, binary: Buffer, values: unknown[]): Promise<unknown[]> {
    const rows = (await db.query(
      `SELECT u.n, u.b::text AS binary, u.t::text AS text
         FROM unnest($1::${type}[], $2::${type}[]) WITH ORDINALITY AS u(b, t, n)
        WHERE u.b IS DISTINCT FROM u.t OR u.b::text IS DISTINCT FROM u.t::text`,
      [binary, values],
    )) as unknown[];
    const [{ count }] = (await db.query(`SELECT cardinality($1::${type}[]) AS count`, [binary])) as {
      count: number;
    }[];
    expect(count).toBe(values.length);
    return rows;
  }

  const TRICKY_TEXT = [
    'plain',
    '',
    'NULL',
    '"double" and \'single\' quotes',
    'back\\slash \\\\ and \\"',
    'commas, {braces}, [brackets]',
    '  leading and trailing  ',
    'tab\tnew\nline\rreturn',
    'ünïcödé 日本語 עברית 🎉👍🏽',
    null,
    'x'.repeat(70_000),
  ];

  it('text, int4, bool and jsonb read back as their text input would', async () => {
    expect(await differences('text', textArray(TRICKY_TEXT), TRICKY_TEXT)).toEqual([]);
    const ints = [0, 1, -1, 2147483647, -2147483648, null, 200];
    expect(await differences('int4', int4Array(ints), ints)).toEqual([]);
    const bools = [true, false, null];
    expect(await differences('bool', boolArray(bools), bools)).toEqual([]);
    const json = [
      JSON.stringify({ a: 'ü "q" \\ ,{}', n: [1, 2.5, -3e10, null, true], nested: { deep: { deeper: [] } } }),
      JSON.stringify({ big: Array.from({ length: 5000 }, (_, i) => ({ [`h-${i}`]: `value ${i} 🎉` })) }),
      JSON.stringify('a string'),
      null,
      '[]',
    ];
    expect(await differences('jsonb', jsonbArray(json), json)).toEqual([]);
  });

  it('timestamptz reads back as Postgres parses the same text, to the microsecond', async () => {
    const times = [
      '2000-01-01T00:00:00Z',
      '2000-01-01T00:00:00.000001Z',
      '1999-12-31T23:59:59.999999Z',
      '1970-01-01T00:00:00.000Z',
      '1969-07-20T20:17:40.5Z',
      '0001-01-01T00:00:00Z',
      '1600-02-29T12:34:56.789012Z',
      '9999-12-31T23:59:59.999999Z',
      '2026-12-03T11:46:36.123Z',
      '2026-12-03T11:46:36.1234564Z',
      '2026-12-03T11:46:36.1234566Z',
      '2026-12-03T11:46:36.0000005Z',
      '2026-12-03T11:46:36.0000025Z',
      '2026-12-03T11:46:36.9999996Z',
      '2016-12-31T23:59:60Z',
      '2026-12-03T11:46:36+05:30',
      '2026-12-03T11:46:36-0800',
      '2026-12-03T11:46:36+01',
      '2026-12-03 11:46:36.5z',
      null,
      ...Array.from({ length: 200 }, (_, i) =>
        new Date(Date.UTC(1900, 0, 1) + i * 987_654_321_123).toISOString(),
      ),
    ];
    expect(await differences('timestamptz', timestamptzArray(times), times)).toEqual([]);
    const [row] = (await db.query(
      `SELECT to_char(t[1] AT TIME ZONE 'UTC', ${UTC_US}) AS first, to_char(t[3] AT TIME ZONE 'UTC', ${UTC_US}) AS third
         FROM (SELECT $1::timestamptz[] AS t) s`,
      [timestamptzArray(times)],
    )) as { first: string; third: string }[];
    expect(row).toEqual({ first: '2000-01-01T00:00:00.000000', third: '1999-12-31T23:59:59.999999' });
  });

  it('empty arrays of every type are empty', async () => {
    const [row] = (await db.query(
      `SELECT cardinality($1::text[]) AS a, cardinality($2::int[]) AS b, cardinality($3::boolean[]) AS c,
              cardinality($4::timestamptz[]) AS d, cardinality($5::jsonb[]) AS e`,
      [textArray([]), int4Array([]), boolArray([]), timestamptzArray([]), jsonbArray([])],
    )) as Record<string, number>[];
    expect(row).toEqual({ a: 0, b: 0, c: 0, d: 0, e: 0 });
  });

  it('awkward records written by the projector read back unchanged', async () => {
    const workspaceId = `ws-${randomUUID()}`;
    const createdAt = '1999-12-31T23:59:59.999999Z';
    const request = sampleDeliveryRequested({
      deliveryId: `d-${randomUUID()}`,
      workspaceId,
      endpointId: 'ep "quoted", {x}',
      eventId: 'evt\\back,slash',
      eventType: 'message.created',
      occurredAt: '1999-12-31T23:00:00.123456+01:00',
      createdAt,
      requestedAt: createdAt,
      payload: JSON.stringify({ text: 'ü 🎉 "q" \\ , {}', big: 'y'.repeat(100_000) }),
    });
    const headers = Object.fromEntries(
      Array.from({ length: 300 }, (_, i) => [`x-h-${i}`, `v "${i}", \\ 日本`]),
    );
    const attempt: AttemptRecorded = sampleAttemptRecorded(request, {
      startedAt: '2000-01-01T00:00:00.000001Z',
      durationMs: 12.6,
      request: {
        url: 'http://127.0.0.1:9/h?a=1,2&b="3"',
        method: 'POST',
        headers,
        bodyRef: request.deliveryId,
      },
      response: {
        status: 503,
        headers,
        body: 'body, with "quotes" \\ {braces}\n日本語 🎉',
        bodyTruncated: true,
      },
      remoteIp: null,
      errorClass: 'http_status',
      errorMessage: 'line one\nline "two", \\three',
      outcome: 'retry_scheduled',
      nextAttemptAt: '2000-01-01T00:00:30.5Z',
      traceId: null,
    });
    await projection.applyDeliveryRequests([request]);
    await projection.applyAttempts([attempt]);
    await projection.applyOperationalEvents([
      {
        position: `herald.operational:0:${randomUUID()}`,
        event: {
          kind: 'OperationalEvent',
          type: 'endpoint.failing',
          workspaceId,
          endpointId: request.endpointId,
          deliveryId: null,
          reason: 'reason, with "quotes" \\ and 🎉',
          at: '1999-06-30T12:00:00.654321Z',
        },
      },
    ]);

    const [delivery] = (await db.query(
      `SELECT d.endpoint_id, d.event_id, to_char(d.created_at AT TIME ZONE 'UTC', ${UTC_US}) AS created_at,
              to_char(d.occurred_at AT TIME ZONE 'UTC', ${UTC_US}) AS occurred_at, d.trigger, d.status,
              d.attempt_count, d.last_response_status, p.payload
         FROM delivery_log d JOIN delivery_payloads p USING (delivery_id, created_at)
        WHERE d.workspace_id = $1`,
      [workspaceId],
    )) as Record<string, unknown>[];
    expect(delivery).toEqual({
      endpoint_id: request.endpointId,
      event_id: request.eventId,
      created_at: '1999-12-31T23:59:59.999999',
      occurred_at: '1999-12-31T22:00:00.123456',
      trigger: 'event',
      status: 'retrying',
      attempt_count: 1,
      last_response_status: 503,
      payload: request.payload,
    });
    const [row] = (await db.query(
      `SELECT to_char(a.started_at AT TIME ZONE 'UTC', ${UTC_US}) AS started_at, a.duration_ms, a.request,
              a.response_status, a.response_body_truncated, a.remote_ip, a.error_class, a.error_message,
              to_char(a.next_attempt_at AT TIME ZONE 'UTC', ${UTC_US}) AS next_attempt_at, a.trace_id,
              b.headers, b.body
         FROM attempts a JOIN attempt_bodies b USING (delivery_id, delivery_created_at, attempt_id)
        WHERE a.workspace_id = $1`,
      [workspaceId],
    )) as Record<string, unknown>[];
    expect(row).toEqual({
      started_at: '2000-01-01T00:00:00.000001',
      duration_ms: 13,
      request: attempt.request,
      response_status: 503,
      response_body_truncated: true,
      remote_ip: null,
      error_class: 'http_status',
      error_message: attempt.errorMessage,
      next_attempt_at: '2000-01-01T00:00:30.500000',
      trace_id: null,
      headers,
      body: attempt.response!.body,
    });
    const [event] = (await db.query(
      `SELECT reason, delivery_id, to_char(at AT TIME ZONE 'UTC', ${UTC_US}) AS at FROM operational_events
        WHERE workspace_id = $1`,
      [workspaceId],
    )) as Record<string, unknown>[];
    expect(event).toEqual({
      reason: 'reason, with "quotes" \\ and 🎉',
      delivery_id: null,
      at: '1999-06-30T12:00:00.654321',
    });
  });

  it('a test ping makes its delivery row from the attempt alone', async () => {
    const workspaceId = `ws-${randomUUID()}`;
    const request = sampleDeliveryRequested({
      deliveryId: `d-${randomUUID()}`,
      workspaceId,
      endpointId: 'ep',
      eventId: 'e',
    });
    const ping = sampleAttemptRecorded(request, {
      testPing: { payload: '{"ping":"🎉, \\"quoted\\""}', occurredAt: '2026-12-03T11:00:00.000123Z' },
    });
    await projection.applyAttempts([ping]);
    const [row] = (await db.query(
      `SELECT d.trigger, d.status, to_char(d.occurred_at AT TIME ZONE 'UTC', ${UTC_US}) AS occurred_at, p.payload
         FROM delivery_log d JOIN delivery_payloads p USING (delivery_id, created_at) WHERE d.workspace_id = $1`,
      [workspaceId],
    )) as Record<string, unknown>[];
    expect(row).toEqual({
      trigger: 'test',
      status: 'succeeded',
      occurred_at: '2026-12-03T11:00:00.000123',
      payload: ping.testPing!.payload,
    });
  });
});
