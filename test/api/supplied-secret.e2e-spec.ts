import { randomBytes, randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { eventually, sampleMessageReceived, type HeraldApiClient } from '@herald/testing';
import { startPipeline, type Pipeline } from '../support/pipeline';

/**
 * A secret brought on create (issue 18, verify-on-create): a receiver that checks signatures needs its
 * secret before Herald's first ping, so the caller may supply it. It signs the verification ping and
 * every later delivery, is refused with 422 naming the field (never the value) when malformed, and
 * can be supplied again on rotation. The receiver here verifies with the standardwebhooks library
 * and answers 401 otherwise, as a receiver provisioned in advance would.
 */

interface Created {
  id: string;
  secret: string;
  verification?: { deliveryId: string; status: number };
}
interface Failure {
  error: { code: string; fields?: { field: string; message: string }[]; details?: unknown };
}

const whsec = () => 'whsec_' + randomBytes(32).toString('base64');

describe('a signing secret supplied on create and rotate', () => {
  let pipeline: Pipeline;
  let api: HeraldApiClient;
  let workspaceId: string;
  /** What the receiver at /verified holds, as if set in its environment before the endpoint existed. */
  let receiverSecret = whsec();
  const path = (p: string) => `/v1/workspaces/${workspaceId}${p}`;
  const urls = async () =>
    (await api.call<{ data: { url: string }[] }>('GET', path('/endpoints'))).data.map((e) => e.url);
  const verifies = (secret: string, body: Buffer, headers: Record<string, unknown>) => {
    try {
      new Webhook(secret).verify(body.toString('utf8'), headers as Record<string, string>);
      return true;
    } catch {
      return false;
    }
  };

  beforeAll(async () => {
    pipeline = await startPipeline({ label: 'supplied-secret-e2e' });
    ({ workspaceId, client: api } = await pipeline.admin.provisionWorkspace(
      `secret-${randomUUID().slice(0, 6)}`,
    ));
    pipeline.receiver.respondWith((request, res) => {
      const ok = verifies(receiverSecret, request.body, request.headers);
      res.writeHead(ok ? 200 : 401).end(ok ? 'OK' : 'Invalid signature');
    });
  });

  afterAll(async () => {
    await pipeline?.stop();
  });

  let endpointId: string;

  it('signs the verification ping with it: a generated secret gets 401, the supplied one 201', async () => {
    const url = pipeline.receiver.url('/verified');
    const body = { url, eventTypes: ['message.*'], verifyOnCreate: true };
    const generated = await api.request<Failure>('POST', path('/endpoints'), body);
    expect(generated.status).toBe(422);
    expect(generated.body.error.details).toEqual({ status: 401 });

    const created = await api.request<Created>('POST', path('/endpoints'), {
      ...body,
      secret: receiverSecret,
    });
    expect(created.status).toBe(201);
    expect(created.body.secret).toBe(receiverSecret);
    expect(created.body.verification).toMatchObject({ status: 200 });
    endpointId = created.body.id;
    const revealed = await api.call<{ secret: string }>('GET', path(`/endpoints/${endpointId}/secret`));
    expect(revealed.secret).toBe(receiverSecret);
  });

  it('signs later deliveries with it', async () => {
    const event = sampleMessageReceived(workspaceId);
    await pipeline.producer.send({
      topic: 'domain.messages',
      messages: [{ key: event.id, value: JSON.stringify(event) }],
    });
    const [got] = await pipeline.receiver.waitFor(1, (r) => r.body.toString('utf8').includes(event.id));
    expect(verifies(receiverSecret, got.body, got.headers)).toBe(true);
    await eventually(async () => {
      const res = await api.call<{ data: { endpointId: string; status: string }[] }>(
        'GET',
        path(`/events/${event.id}/deliveries`),
      );
      return res.data.find((d) => d.endpointId === endpointId && d.status === 'succeeded');
    });
  });

  it.each([
    ['standard-webhooks', 'whsec_' + randomBytes(16).toString('base64'), '24 to 64 bytes'],
    ['standard-webhooks', randomBytes(32).toString('base64'), 'whsec_ followed by base64'],
    ['hmac-sha256-prefixed', 'short-nexadesk-secret', '32 to 256 characters'],
    ['ed25519', whsec(), 'whsk_'],
  ])(
    'refuses a malformed %s secret with 422 naming the field, not the value',
    async (scheme, secret, says) => {
      const url = pipeline.receiver.url(`/refused-${randomUUID()}`);
      const res = await api.request<Failure>('POST', path('/endpoints'), {
        url,
        eventTypes: ['message.*'],
        signatureScheme: scheme,
        secret,
      });
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('INVALID_SECRET');
      expect(res.body.error.fields).toEqual([{ field: 'secret', message: expect.stringContaining(says) }]);
      expect(JSON.stringify(res.body)).not.toContain(secret);
      expect(await urls()).not.toContain(url);
    },
  );

  it('answers 409 to a secret sent for a URL the workspace already has, which keeps its own', async () => {
    const res = await api.request<Failure>('POST', path('/endpoints'), {
      url: pipeline.receiver.url('/verified'),
      eventTypes: ['message.*'],
      secret: whsec(),
    });
    expect(res.status).toBe(409);
    expect(res.body.error.fields).toEqual([{ field: 'secret', message: expect.any(String) }]);
    const revealed = await api.call<{ secret: string }>('GET', path(`/endpoints/${endpointId}/secret`));
    expect(revealed.secret).toBe(receiverSecret);
  });

  it('replays an Idempotency-Key with the secret sent, and refuses the key with another one', async () => {
    const headers = { 'idempotency-key': randomUUID() };
    const body = { url: pipeline.receiver.url(`/idem-${randomUUID()}`), eventTypes: ['message.*'] };
    const secret = whsec();
    const first = await api.request<Created>('POST', path('/endpoints'), { ...body, secret }, headers);
    expect(first.status).toBe(201);
    const replay = await api.request<Created>('POST', path('/endpoints'), { ...body, secret }, headers);
    expect(replay.status).toBe(201);
    expect(replay.body).toMatchObject({ id: first.body.id, secret });
    const other = whsec();
    const mismatch = await api.request<Failure>(
      'POST',
      path('/endpoints'),
      { ...body, secret: other },
      headers,
    );
    expect(mismatch.status).toBe(422);
    expect(JSON.stringify(mismatch.body)).not.toContain(secret);
    expect(JSON.stringify(mismatch.body)).not.toContain(other);
  });

  it('refuses a scheme change its supplied secret does not fit, naming signatureScheme', async () => {
    const plain = 'nxd_' + randomBytes(24).toString('hex');
    const created = await api.call<Created>('POST', path('/endpoints'), {
      url: pipeline.receiver.url(`/hmac-${randomUUID()}`),
      eventTypes: ['lead.*'],
      signatureScheme: 'hmac-hex',
      secret: plain,
    });
    const patch = (signatureScheme: string) =>
      api.request<Failure>('PATCH', path(`/endpoints/${created.id}`), { signatureScheme });
    const refused = await patch('standard-webhooks');
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('INVALID_SECRET');
    expect(refused.body.error.fields).toEqual([{ field: 'signatureScheme', message: expect.any(String) }]);
    expect(JSON.stringify(refused.body)).not.toContain(plain);
    expect((await patch('hmac-base64')).status).toBe(200);
  });

  it('rotates to a supplied secret, checked against the scheme first', async () => {
    const rotate = (body: Record<string, unknown>) =>
      api.request<Failure & { secret: string }>('POST', path(`/endpoints/${endpointId}/secret/rotate`), body);
    const refused = await rotate({ gracePeriod: '0s', secret: 'whsec_tooshort' });
    expect(refused.status).toBe(422);
    expect(refused.body.error.fields).toEqual([{ field: 'secret', message: expect.any(String) }]);
    // The refused rotation changed nothing: the endpoint still signs with the receiver's secret.
    const kept = await api.call<{ secret: string }>('GET', path(`/endpoints/${endpointId}/secret`));
    expect(kept.secret).toBe(receiverSecret);

    const next = whsec();
    const rotated = await rotate({ gracePeriod: '0s', secret: next });
    expect(rotated.status).toBe(201);
    expect(rotated.body.secret).toBe(next);
    receiverSecret = next;
    const sent = await api.call<{ delivered: boolean; status: number }>(
      'POST',
      path(`/endpoints/${endpointId}/test`),
    );
    expect(sent).toMatchObject({ delivered: true, status: 200 });
  });
});
