import { createPublicKey, verify } from 'node:crypto';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { Webhook as SvixWebhook } from 'svix';
import {
  type AutoDisableEndpointCommand,
  type DeliveryRequested,
  KafkaHeaders,
  Topics,
} from '@herald/contracts';
import { generateSigningSecret } from '@herald/signing';
import { DispatcherSuite, ORIGIN_TRACEPARENT } from './dispatcher-suite';

/**
 * The dispatcher (with the scheduler bringing retries back) against a loopback receiver: signatures
 * verified by third-party libraries, every status class, timeouts, redirects, disabling, exhaustion
 * and an endpoint's own schedule. Concurrency, rate limits and the breaker: dispatcher-limits.
 */
describe('dispatcher: signed HTTP delivery', () => {
  const suite = new DispatcherSuite();
  const { endpoint, delivery, send, secrets, endpoints, behaviours, hung, sequence, requestsTo } = suite;
  const { parse, waitAttempts, operational, waitOperational, waitDead, deadLetters } = suite;

  beforeAll(async () => {
    await suite.start('dispatcher-delivery-e2e', () => {
      const inGrace = generateSigningSecret('standard-webhooks');
      secrets.rotatedOld = inGrace;
      endpoint('signed', {
        headers: {
          'X-Tenant': 'acme',
          'Webhook-Id': 'forged',
          'Content-Type': 'text/plain',
          'User-Agent': 'forged',
        },
      });
      endpoints.signed.secrets.push({
        id: 'sec_old',
        ciphertext: suite.cipher.encrypt(inGrace.secret),
        createdAt: new Date(Date.now() - 86_400_000).toISOString(),
        expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
      });
      endpoint('ed', {}, 'ed25519');
      endpoint('hex', {}, 'hmac-hex');
      endpoint('nexa', { signatureHeader: 'X-NexaDesk-Signature' }, 'hmac-sha256-prefixed');
      endpoint('md', { signatureHeader: 'X-MessageDesk-Signature' }, 'hmac-base64');
      endpoint('flaky');
      endpoint('redirect');
      endpoint('gone');
      endpoint('backoff');
      endpoint('exhaust');
      endpoint('slow', { timeoutMs: 400 });
      endpoint('custom', { retrySchedule: ['1s'] });
    });
  });

  afterAll(() => suite.stop());

  it('signs with Standard Webhooks (every key in grace) so standardwebhooks and svix verify, with Herald headers', async () => {
    const d = delivery('signed');
    await send([d]);
    const [req] = await suite.receiver.waitFor(1, (r) => r.path === '/signed', 30_000);
    expect(req.body.toString('utf8')).toBe(d.payload);
    const headers = req.headers as Record<string, string>;
    expect(headers['webhook-id']).toBe(d.deliveryId);
    expect(headers['webhook-attempt']).toBe('1');
    expect(headers['content-type']).toBe('application/json');
    expect(headers['user-agent']).toMatch(/^Herald\/\d+\.\d+\.\d+/);
    expect(headers['x-tenant']).toBe('acme');
    expect(headers.traceparent).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-0[01]$/);
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    for (const secret of [secrets.signed.secret, secrets.rotatedOld.secret]) {
      expect(new StandardWebhook(secret).verify(req.body.toString('utf8'), headers)).toEqual(
        JSON.parse(d.payload),
      );
      expect(new SvixWebhook(secret).verify(req.body.toString('utf8'), headers)).toEqual(
        JSON.parse(d.payload),
      );
    }
    expect(() =>
      new SvixWebhook(generateSigningSecret('standard-webhooks').secret).verify(req.body.toString(), headers),
    ).toThrow();

    const [attempt] = await waitAttempts(d.deliveryId, 1);
    expect(attempt).toMatchObject({
      outcome: 'succeeded',
      attempt: 1,
      endpointId: endpoints.signed.id,
      response: { status: 200, body: 'ok', bodyTruncated: false },
      remoteIp: '127.0.0.1',
      errorClass: null,
      nextAttemptAt: null,
    });
    expect(attempt.request.headers['webhook-signature']).toBe('[redacted]');
    expect(attempt.request.bodyRef).toContain(d.deliveryId);
    expect(attempt.traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(JSON.stringify(attempt)).not.toContain(secrets.signed.secret.slice(6));
  });

  it('signs ed25519 and the raw-body compatibility profiles', async () => {
    const sent = { ed: delivery('ed'), hex: delivery('hex'), nexa: delivery('nexa'), md: delivery('md') };
    await send(Object.values(sent));
    const [ed] = await suite.receiver.waitFor(1, (r) => r.path === '/ed');
    const content = `${ed.headers['webhook-id']}.${ed.headers['webhook-timestamp']}.${ed.body.toString()}`;
    const signature = String(ed.headers['webhook-signature']);
    expect(signature).toMatch(/^v1a,/);
    const publicKey = createPublicKey({
      key: {
        kty: 'OKP',
        crv: 'Ed25519',
        x: Buffer.from(secrets.ed.publicKey!.slice(5), 'base64').toString('base64url'),
      },
      format: 'jwk',
    });
    expect(verify(null, Buffer.from(content), publicKey, Buffer.from(signature.slice(4), 'base64'))).toBe(
      true,
    );

    const { createHmac } = await import('node:crypto');
    const mac = (name: string, body: Buffer) => createHmac('sha256', secrets[name].secret).update(body);
    const [hex] = await suite.receiver.waitFor(1, (r) => r.path === '/hex');
    expect(hex.headers['x-webhook-signature']).toBe(mac('hex', hex.body).digest('hex'));
    const [nexa] = await suite.receiver.waitFor(1, (r) => r.path === '/nexa');
    expect(nexa.headers['x-nexadesk-signature']).toBe(`sha256=${mac('nexa', nexa.body).digest('hex')}`);
    const [md] = await suite.receiver.waitFor(1, (r) => r.path === '/md');
    expect(md.headers['x-messagedesk-signature']).toBe(mac('md', md.body).digest('base64'));
    expect(md.body.toString()).toBe(sent.md.payload);
  });

  it('retries a 500 through a tier topic with the same id and bytes, then succeeds', async () => {
    sequence('flaky', [500, 200]);
    const d = delivery('flaky');
    await send([d]);
    const requests = await suite.receiver.waitFor(2, (r) => r.path === '/flaky');
    expect(requests.map((r) => r.headers['webhook-attempt'])).toEqual(['1', '2']);
    expect(new Set(requests.map((r) => r.headers['webhook-id']))).toEqual(new Set([d.deliveryId]));
    expect(requests.every((r) => r.body.toString() === d.payload)).toBe(true);
    expect(requests[1].receivedAt - requests[0].receivedAt).toBeGreaterThanOrEqual(150);

    const attempts = await waitAttempts(d.deliveryId, 2);
    expect(attempts.map((a) => [a.attempt, a.outcome, a.errorClass, a.response?.status])).toEqual([
      [1, 'retry_scheduled', 'http_status', 500],
      [2, 'succeeded', null, 200],
    ]);
    expect(attempts[0].nextAttemptAt).not.toBeNull();
    const [tier] = await suite.kafka.waitFor(
      1,
      (r) => r.topic === 'herald.retry.200ms' && r.value!.includes(d.deliveryId),
    );
    expect(parse<DeliveryRequested>(tier)).toMatchObject({
      attempt: 2,
      trigger: 'retry',
      payload: d.payload,
    });
    expect(Number(tier.headers[KafkaHeaders.dueAt])).toBeGreaterThan(0);
    expect(tier.headers[KafkaHeaders.originTraceparent]).toBe(ORIGIN_TRACEPARENT);
  });

  it('never follows a redirect and records it as a failure', async () => {
    behaviours.set('redirect', (req, res) => {
      if (req.headers['webhook-attempt'] === '1')
        res.writeHead(302, { location: suite.receiver.url('/redirect-target') }).end();
      else res.writeHead(204).end();
    });
    const d = delivery('redirect');
    await send([d]);
    const attempts = await waitAttempts(d.deliveryId, 2);
    expect(attempts.map((a) => [a.outcome, a.errorClass, a.response?.status])).toEqual([
      ['retry_scheduled', 'redirect', 302],
      ['succeeded', null, 204],
    ]);
    expect(requestsTo('redirect-target')).toHaveLength(0);
  });

  it('on 410 Gone asks the API to disable the endpoint, dead-letters, and drops later deliveries', async () => {
    sequence('gone', [410]);
    const d = delivery('gone');
    await send([d]);
    const [attempt] = await waitAttempts(d.deliveryId, 1);
    expect(attempt.outcome).toBe('endpoint_disabled');
    const [request] = await suite.kafka.waitFor(
      1,
      (r) => r.topic === Topics.endpointCommands && r.key === endpoints.gone.id,
    );
    expect(parse<AutoDisableEndpointCommand>(request)).toMatchObject({
      type: 'endpoint.auto_disable',
      endpointId: endpoints.gone.id,
      observedVersion: endpoints.gone.version,
      reason: 'endpoint_gone',
      deliveryId: d.deliveryId,
    });
    await waitDead(d.deliveryId);
    expect(deadLetters(d.deliveryId)[0].headers[KafkaHeaders.reasonCode]).toBe('endpoint_gone');

    const later = delivery('gone');
    await send([later]);
    await suite.kafka.waitFor(
      1,
      (r) => r.topic === Topics.deliveriesDead && r.value!.includes(later.deliveryId),
    );
    expect(deadLetters(later.deliveryId)[0].headers[KafkaHeaders.reasonCode]).toBe('endpoint_disabled');
    expect(requestsTo('gone')).toHaveLength(1);
    // The API is the only writer of endpoint snapshots (and of endpoint.disabled, once it applied it).
    expect(
      suite.kafka.matching(
        (r) =>
          r.topic === Topics.subscriptions &&
          r.key === endpoints.gone.id &&
          r.value!.includes('"disabled":true'),
      ),
    ).toEqual([]);
  });

  it('backs off on 429/502/503/504 honouring Retry-After, and retries other statuses', async () => {
    sequence('backoff', [{ status: 429, headers: { 'retry-after': '1' } }, 503, 404, 504, 200]);
    const d = delivery('backoff');
    await send([d]);
    const requests = await suite.receiver.waitFor(5, (r) => r.path === '/backoff', 30_000);
    // Retry-After: 1 beats the 200ms scheduled delay.
    expect(requests[1].receivedAt - requests[0].receivedAt).toBeGreaterThanOrEqual(950);
    const attempts = await waitAttempts(d.deliveryId, 5);
    expect(attempts.map((a) => a.response?.status)).toEqual([429, 503, 404, 504, 200]);
    expect(attempts.map((a) => a.outcome)).toEqual([
      'retry_scheduled',
      'retry_scheduled',
      'retry_scheduled',
      'retry_scheduled',
      'succeeded',
    ]);
  });

  it('dead-letters after the last attempt and says so on herald.operational', async () => {
    sequence('exhaust', [500]);
    const d = delivery('exhaust');
    await send([d]);
    const attempts = await waitAttempts(d.deliveryId, 5, 30_000);
    expect(attempts.map((a) => a.outcome)).toEqual([
      'retry_scheduled',
      'retry_scheduled',
      'retry_scheduled',
      'retry_scheduled',
      'exhausted',
    ]);
    expect(attempts[4].nextAttemptAt).toBeNull();
    await suite.kafka.waitFor(1, (r) => r.topic === Topics.deliveriesDead && r.value!.includes(d.deliveryId));
    const [dead] = deadLetters(d.deliveryId);
    expect(dead.headers[KafkaHeaders.reasonCode]).toBe('exhausted');
    expect(parse<DeliveryRequested>(dead).payload).toBe(d.payload);
    await waitOperational('exhaust', 'delivery.exhausted');
    const exhausted = operational('exhaust').filter((e) => e.type === 'delivery.exhausted');
    expect(exhausted).toEqual([
      expect.objectContaining({ deliveryId: d.deliveryId, reason: expect.stringMatching(/HTTP 500/) }),
    ]);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(requestsTo('exhaust')).toHaveLength(5);
  });

  it('follows an endpoint schedule of its own', async () => {
    sequence('custom', [500]);
    const d = delivery('custom');
    await send([d]);
    const attempts = await waitAttempts(d.deliveryId, 2);
    expect(attempts.map((a) => a.outcome)).toEqual(['retry_scheduled', 'exhausted']);
    const requests = requestsTo('custom');
    expect(requests[1].receivedAt - requests[0].receivedAt).toBeGreaterThanOrEqual(750);
  });

  it('times an attempt out and records the error class', async () => {
    behaviours.set('slow', (req, res) => {
      if (req.headers['webhook-attempt'] === '1') hung.push(res);
      else res.writeHead(200).end('ok');
    });
    const d = delivery('slow');
    await send([d]);
    const attempts = await waitAttempts(d.deliveryId, 2);
    expect(attempts[0]).toMatchObject({ outcome: 'retry_scheduled', errorClass: 'timeout', response: null });
    expect(attempts[0].durationMs).toBeGreaterThanOrEqual(350);
    expect(attempts[0].durationMs).toBeLessThan(2_000);
    expect(attempts[1].outcome).toBe('succeeded');
  });

  it('records and dead-letters a delivery for an unknown endpoint instead of retrying it', async () => {
    const d = delivery('nobody');
    await send([d]);
    const [attempt] = await waitAttempts(d.deliveryId, 1);
    expect(attempt).toMatchObject({
      outcome: 'exhausted',
      response: null,
      errorMessage: expect.stringMatching(/does not exist/),
    });
    await suite.kafka.waitFor(1, (r) => r.topic === Topics.deliveriesDead && r.value!.includes(d.deliveryId));
    expect(deadLetters(d.deliveryId)[0].headers[KafkaHeaders.reasonCode]).toBe('endpoint_not_found');
  });
});
