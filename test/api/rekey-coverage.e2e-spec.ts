import { randomBytes } from 'node:crypto';
import type { Producer } from 'kafkajs';
import { Client } from 'pg';
import { Webhook } from 'standardwebhooks';
import { Topics } from '@herald/contracts';
import { runMigrations } from '@herald/persistence';
import { SecretCipher } from '@herald/signing';
import {
  HeraldApiClient,
  HeraldProcess,
  WebhookReceiver,
  eventually,
  sampleMessageReceived,
  startTestEnvironment,
  testKafkaClient,
  type TestEnvironment,
} from '@herald/testing';
import { rekeySecrets, type RekeyProgress } from '../../apps/herald/src/commands/rekey.command';

/**
 * Re-keying covers every sealed value (issue 17 item 6): signing secrets with a rotation's previous
 * one, sealed header values, header values saved in clear before sealing, and stored Idempotency-Key
 * responses. After it, Herald runs on the new key alone and every value still opens.
 */
describe('rekey covers every sealed value', () => {
  let env: TestEnvironment;
  let receiver: WebhookReceiver;
  let producer: Producer;
  let herald: HeraldProcess | undefined;
  let db: Client;
  const oldKey = Buffer.alloc(32, 21);
  const newKey = Buffer.alloc(32, 42);

  beforeAll(async () => {
    env = await startTestEnvironment();
    await runMigrations(env.databaseUrl);
    receiver = await WebhookReceiver.start();
    producer = testKafkaClient(env.kafkaBrokers, 'rekey-coverage-test').producer();
    await producer.connect();
    db = new Client({ connectionString: env.databaseUrl });
    await db.connect();
  });

  afterAll(async () => {
    await herald?.stop();
    await db?.end();
    await producer?.disconnect();
    await receiver?.stop();
    await env?.stop();
  });

  const startHerald = async (key: Buffer, previous: Buffer[]) => {
    herald = await HeraldProcess.start({
      env: env.heraldEnv({
        HERALD_MASTER_KEY: key.toString('base64'),
        HERALD_PREVIOUS_MASTER_KEYS: previous.map((k) => k.toString('base64')).join(','),
      }),
    });
    return new HeraldApiClient(herald.apiUrl, env.heraldEnv().HERALD_ADMIN_TOKEN);
  };

  it('re-seals secrets, header values (clear ones too) and idempotency records; all open under the new key alone', async () => {
    const admin = await startHerald(oldKey, []);
    const { workspaceId, apiKey, client } = await admin.provisionWorkspace(
      `rekeycov-${randomBytes(3).toString('hex')}`,
    );
    const path = (rest: string) => `/v1/workspaces/${workspaceId}${rest}`;
    const partnerKey = `pk_${randomBytes(8).toString('hex')}`;
    const createBody = {
      url: receiver.url('/sealed'),
      eventTypes: ['message.received'],
      headers: { 'X-Partner-Key': partnerKey },
    };
    const idempotency = { 'idempotency-key': `create-${randomBytes(4).toString('hex')}` };
    const created = await client.request<{ id: string; secret: string }>(
      'POST',
      path('/endpoints'),
      createBody,
      idempotency,
    );
    expect(created.status).toBe(201);
    // Mid-rotation: the previous secret still signs for an hour.
    const rotated = await client.call<{ secret: string }>(
      'POST',
      path(`/endpoints/${created.body.id}/secret/rotate`),
      { gracePeriod: '1h' },
    );
    // A row saved before header values were sealed: its value is still in clear.
    const legacy = await client.createEndpoint(workspaceId, {
      url: receiver.url('/legacy'),
      eventTypes: ['message.received'],
    });
    await db.query(`UPDATE endpoints SET headers = $2, sealed_headers = '{}' WHERE id = $1`, [
      legacy.id,
      JSON.stringify({ 'X-Old': 'clear-old' }),
    ]);
    await herald!.stop();
    herald = undefined;

    const cipher = new SecretCipher(newKey, [oldKey]);
    const progress: RekeyProgress[] = [];
    const rekey = () =>
      rekeySecrets({
        databaseUrl: env.databaseUrl,
        cipher,
        publish: async (snapshot) => {
          await producer.send({
            topic: Topics.subscriptions,
            messages: [{ key: snapshot.id, value: JSON.stringify(snapshot) }],
          });
        },
        onProgress: (p) => progress.push(p),
      });
    expect(await rekey()).toEqual({ endpoints: 2, secrets: 3, headers: 2, idempotencyRecords: 1 });
    expect(progress.map((p) => [p.table, p.checked, p.total])).toEqual([
      ['endpoints', 2, 2],
      ['idempotency_records', 1, 1],
    ]);
    expect(await rekey()).toEqual({ endpoints: 0, secrets: 0, headers: 0, idempotencyRecords: 0 });

    // Every stored envelope opens with the new key alone; no clear header value is left.
    const newOnly = new SecretCipher(newKey);
    const secrets = await db.query<{ ciphertext: string }>(`SELECT ciphertext FROM signing_secrets`);
    expect(secrets.rows).toHaveLength(3);
    for (const { ciphertext } of secrets.rows) expect(() => newOnly.decrypt(ciphertext)).not.toThrow();
    const endpoints = await db.query<{ headers: object; sealed_headers: Record<string, string> }>(
      `SELECT headers, sealed_headers FROM endpoints ORDER BY created_at`,
    );
    expect(endpoints.rows.map((r) => r.headers)).toEqual([{}, {}]);
    expect(endpoints.rows.map((r) => Object.values(r.sealed_headers).map((v) => newOnly.decrypt(v)))).toEqual(
      [[partnerKey], ['clear-old']],
    );
    const records = await db.query<{ sealed: string }>(
      `SELECT response->>'sealed' AS sealed FROM idempotency_records`,
    );
    expect(records.rows).toHaveLength(1);
    expect(newOnly.decrypt(records.rows[0].sealed)).toContain(created.body.secret);

    const relocated = (await startHerald(newKey, [])).withToken(apiKey);
    // An idempotent replay of the create still returns the original response, secret included.
    const replay = await relocated.request('POST', path('/endpoints'), createBody, idempotency);
    expect(replay).toEqual({ status: 201, body: created.body });

    // Deliveries carry the right header values and signatures under the new key alone.
    const event = sampleMessageReceived(workspaceId);
    await producer.send({
      topic: 'domain.messages',
      messages: [{ key: event.id, value: JSON.stringify(event) }],
    });
    const hits = await receiver.waitFor(2, (r) => r.body.toString('utf8').includes(event.id));
    const sealed = hits.find((r) => r.path === '/sealed')!;
    const old = hits.find((r) => r.path === '/legacy')!;
    expect(sealed.headers['x-partner-key']).toBe(partnerKey);
    expect(old.headers['x-old']).toBe('clear-old');
    const signed = (secret: string, request: typeof sealed) =>
      new Webhook(secret).verify(request.body.toString('utf8'), {
        'webhook-id': String(request.headers['webhook-id']),
        'webhook-timestamp': String(request.headers['webhook-timestamp']),
        'webhook-signature': String(request.headers['webhook-signature']),
      });
    // Both the rotated secret and the previous one in its grace period still sign.
    expect(() => signed(rotated.secret, sealed)).not.toThrow();
    expect(() => signed(created.body.secret, sealed)).not.toThrow();
    expect(() => signed(legacy.secret, old)).not.toThrow();
    await eventually(async () => {
      const res = await relocated.call<{ data: { status: string }[] }>(
        'GET',
        path(`/events/${event.id}/deliveries`),
      );
      return res.data.length === 2 && res.data.every((d) => d.status === 'succeeded') ? true : undefined;
    });
  });
});
