import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { Webhook } from 'standardwebhooks';
import { Topics, type AttemptRecorded, type EndpointSnapshot } from '@herald/contracts';
import {
  HeraldApiClient,
  KafkaTap,
  eventually,
  sampleMessageReceived,
  type TappedRecord,
} from '@herald/testing';
import { startPipeline, type Pipeline } from '../support/pipeline';

interface ErrorBody {
  error: { code: string; message: string; fields?: { field: string; message: string }[] };
}

interface DeliveryDetail {
  attempts: { request: AttemptRecorded['request'] }[];
}

/**
 * Custom header values are credentials (issue 17 items 4 and 8): sealed in Postgres and on
 * herald.subscriptions, delivered in clear to the receiver only, never shown by the API or in
 * attempt logs to any role; and the API refuses what the dispatcher would drop.
 */
describe('custom header secrets', () => {
  let pipeline: Pipeline;
  let api: HeraldApiClient;
  let viewer: HeraldApiClient;
  let workspaceId: string;
  let tap: KafkaTap<TappedRecord>;
  let db: Client;
  const partnerKey = `pk_live_${randomBytes(12).toString('hex')}`;
  const tenant = `tenant-${randomBytes(6).toString('hex')}`;

  beforeAll(async () => {
    pipeline = await startPipeline({ label: 'header-secrets-test' });
    ({ workspaceId, client: api } = await pipeline.admin.provisionWorkspace(
      `hdr-${randomBytes(3).toString('hex')}`,
    ));
    viewer = api.withToken((await api.createApiKey(workspaceId, 'viewer', 'hdr-viewer')).key);
    tap = await KafkaTap.recording(
      pipeline.env.kafkaBrokers,
      [Topics.subscriptions, Topics.attempts],
      'header-secrets',
    );
    db = new Client({ connectionString: pipeline.env.databaseUrl });
    await db.connect();
  });

  afterAll(async () => {
    await db?.end();
    await tap?.stop();
    await pipeline?.stop();
  });

  const path = (rest = '') => `/v1/workspaces/${workspaceId}${rest}`;

  /** Sends one event (every endpoint of the workspace gets it) and returns what `endpointId` got. */
  async function deliverOne(endpointPath: string, endpointId: string) {
    const event = sampleMessageReceived(workspaceId);
    await pipeline.producer.send({
      topic: 'domain.messages',
      messages: [{ key: event.id, value: JSON.stringify(event) }],
    });
    const [request] = await pipeline.receiver.waitFor(
      1,
      (r) => r.path === endpointPath && r.body.toString('utf8').includes(event.id),
    );
    const delivery = await eventually(async () => {
      const res = await api.call<{ data: { id: string; endpointId: string; status: string }[] }>(
        'GET',
        path(`/events/${event.id}/deliveries`),
      );
      return res.data.find((d) => d.endpointId === endpointId && d.status === 'succeeded');
    });
    return { request, deliveryId: delivery.id };
  }

  it('seals values at rest and on herald.subscriptions, delivers them, and shows names only', async () => {
    const created = await api.createEndpoint(workspaceId, {
      url: pipeline.receiver.url('/sealed'),
      eventTypes: ['message.received'],
      headers: { 'X-Partner-Key': partnerKey, 'X-Tenant': tenant },
    });
    const clear = [partnerKey, tenant];

    // Postgres: the row holds envelopes only.
    const { rows } = await db.query<{ row: string }>(
      `SELECT to_jsonb(e)::text AS row FROM endpoints e WHERE id = $1`,
      [created.id],
    );
    expect(rows).toHaveLength(1);
    for (const value of clear) expect(rows[0].row).not.toContain(value);
    expect(rows[0].row).toContain('hs1.');

    // herald.subscriptions: every record of the endpoint holds envelopes only.
    const [snapshotRecord] = await tap.waitFor(
      1,
      (r) => r.topic === Topics.subscriptions && r.key === created.id,
    );
    const snapshot = JSON.parse(snapshotRecord.value!.toString()) as EndpointSnapshot;
    expect(Object.keys(snapshot.sealedHeaders ?? {}).sort()).toEqual(['X-Partner-Key', 'X-Tenant']);
    expect(snapshot.headers).toEqual({});
    for (const value of clear) expect(snapshotRecord.value!.toString()).not.toContain(value);

    // The API never returns the values after creation, to any role.
    const names = { 'X-Partner-Key': '[redacted]', 'X-Tenant': '[redacted]' };
    expect(created.headers).toEqual(names);
    for (const client of [api, viewer]) {
      expect(
        (await client.call<{ headers: unknown }>('GET', path(`/endpoints/${created.id}`))).headers,
      ).toEqual(names);
      const listed = await client.call<{ data: { id: string; headers: unknown }[] }>(
        'GET',
        path('/endpoints'),
      );
      expect(listed.data.find((e) => e.id === created.id)?.headers).toEqual(names);
    }

    // The receiver gets the values in clear, signed as usual.
    const { request, deliveryId } = await deliverOne('/sealed', created.id);
    expect(request.headers['x-partner-key']).toBe(partnerKey);
    expect(request.headers['x-tenant']).toBe(tenant);
    new Webhook(created.secret).verify(request.body.toString('utf8'), {
      'webhook-id': String(request.headers['webhook-id']),
      'webhook-timestamp': String(request.headers['webhook-timestamp']),
      'webhook-signature': String(request.headers['webhook-signature']),
    });

    // Attempt logs, to every role and on herald.attempts: names only.
    for (const client of [api, viewer]) {
      const detail = await client.call<DeliveryDetail>('GET', path(`/deliveries/${deliveryId}`));
      // Recorded as sent: names in lower case.
      expect(detail.attempts[0].request.headers).toMatchObject({
        'x-partner-key': '[redacted]',
        'x-tenant': '[redacted]',
      });
      for (const value of clear) expect(JSON.stringify(detail)).not.toContain(value);
    }
    const attempts = await tap.waitFor(1, (r) => r.topic === Topics.attempts && r.key === deliveryId);
    for (const value of clear) expect(attempts[0].value!.toString()).not.toContain(value);
    const { rows: stored } = await db.query<{ row: string }>(
      `SELECT to_jsonb(a)::text AS row FROM attempts a WHERE delivery_id = $1`,
      [deliveryId],
    );
    expect(stored).toHaveLength(1);
    for (const value of clear) expect(stored[0].row).not.toContain(value);
  });

  it('keeps the sealed value on a re-registration with the same value (same version) and replaces it on a change', async () => {
    const spec = {
      url: pipeline.receiver.url('/rereg'),
      eventTypes: ['message.received'],
      headers: { 'X-Partner-Key': 'first' },
    };
    const created = await api.createEndpoint(workspaceId, spec);
    const again = await api.request<{ version: number }>('POST', path('/endpoints'), spec);
    expect(again).toMatchObject({ status: 200, body: { version: created.version } });
    const changed = await api.call<{ version: number }>('PATCH', path(`/endpoints/${created.id}`), {
      headers: { 'X-Partner-Key': 'second' },
    });
    expect(changed.version).toBe(Number(created.version) + 1);
    const { request } = await deliverOne('/rereg', created.id);
    expect(request.headers['x-partner-key']).toBe('second');
  });

  it('refuses with 422, naming the header, what the dispatcher would drop or fail on', async () => {
    const base = { url: pipeline.receiver.url('/refused'), eventTypes: ['message.received'] };
    const cases: [Record<string, unknown>, string][] = [
      ...['Keep-Alive', 'Upgrade', 'TE', 'Trailer', 'Expect', 'Proxy-Authorization', 'Webhook-Attempt'].map(
        (name): [Record<string, unknown>, string] => [{ headers: { [name]: 'x' } }, `headers.${name}`],
      ),
      [{ headers: { 'X-Bell': 'a\x07b' } }, 'headers.X-Bell'],
      [{ headers: { 'X-Snowman': 'snow \u2603' } }, 'headers.X-Snowman'],
      [{ headers: { 'X-Partner-Key': '[redacted]' } }, 'headers.X-Partner-Key'],
      [{ signatureScheme: 'hmac-hex', signatureHeader: 'Content-Length' }, 'signatureHeader'],
      [{ signatureScheme: 'hmac-hex', signatureHeader: 'webhook-id' }, 'signatureHeader'],
    ];
    for (const [extra, field] of cases) {
      const res = await api.request<ErrorBody>('POST', path('/endpoints'), { ...base, ...extra });
      expect({ extra, status: res.status }).toEqual({ extra, status: 422 });
      expect(res.body.error.fields?.map((f) => f.field)).toContain(field);
      expect(res.body.error.message).toContain(field.replace(/^headers\./, ''));
    }
    const list = await api.call<{ data: { url: string }[] }>('GET', path('/endpoints'));
    expect(list.data.map((e) => e.url)).not.toContain(base.url);
  });

  it('delivers an older snapshot’s clear headers, skipping (and naming) a reserved one instead of failing', async () => {
    const created = await api.createEndpoint(workspaceId, {
      url: pipeline.receiver.url('/legacy'),
      eventTypes: ['message.received'],
    });
    const [record] = await tap.waitFor(1, (r) => r.topic === Topics.subscriptions && r.key === created.id);
    // A snapshot as published before header sealing and the shared reserved list existed.
    const current = JSON.parse(record.value!.toString()) as EndpointSnapshot;
    const { sealedHeaders: _none, ...old } = current;
    const legacy = {
      ...old,
      version: current.version + 1,
      headers: { 'Keep-Alive': 'timeout=5', 'X-Legacy': 'clear-old' },
    };
    await pipeline.producer.send({
      topic: Topics.subscriptions,
      messages: [{ key: created.id, value: JSON.stringify(legacy) }],
    });
    const { request, deliveryId } = await deliverOne('/legacy', created.id);
    expect(request.headers['x-legacy']).toBe('clear-old');
    expect(request.headers['keep-alive']).toBeUndefined();
    const detail = await api.call<DeliveryDetail>('GET', path(`/deliveries/${deliveryId}`));
    expect(detail.attempts[0].request.skippedHeaders).toEqual(['Keep-Alive']);
    expect(detail.attempts[0].request.headers['x-legacy']).toBe('[redacted]');
  });
});
