import { createPublicKey, randomUUID, verify } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { Webhook as SvixWebhook } from 'svix';
import {
  type AttemptRecorded,
  type AutoDisableEndpointCommand,
  type DeliveryRequested,
  type EndpointSnapshot,
  KafkaHeaders,
  type OperationalEvent,
  type SignatureScheme,
  Topics,
} from '@herald/contracts';
import { generateSigningSecret, SecretCipher } from '@herald/signing';
import {
  HeraldProcess,
  sampleEndpointSnapshot,
  startTestEnvironment,
  type ReceivedRequest,
  type TestEnvironment,
  WebhookReceiver,
} from '@herald/testing';
import { DispatcherKafka, type SeenRecord } from './dispatcher-kafka';

/**
 * The dispatcher (with the scheduler bringing retries back) against a loopback receiver: signatures
 * verified by third-party libraries, every status class, timeouts, redirects, disabling, exhaustion,
 * rate limits, the circuit breaker, and a hung endpoint beside a healthy one on the same partition.
 */
describe('dispatcher: signed HTTP delivery', () => {
  let env: TestEnvironment;
  let herald: HeraldProcess;
  let kafka: DispatcherKafka;
  let receiver: WebhookReceiver;
  const run = randomUUID().slice(0, 8);
  const cipher = new SecretCipher(Buffer.alloc(32, 7));
  const behaviours = new Map<string, (req: ReceivedRequest, res: ServerResponse) => void>();
  const hung: ServerResponse[] = [];
  const endpoints: Record<string, EndpointSnapshot> = {};
  const secrets: Record<string, { secret: string; publicKey: string | null }> = {};

  function endpoint(
    name: string,
    overrides: Partial<EndpointSnapshot> = {},
    scheme: SignatureScheme = 'standard-webhooks',
  ) {
    const generated = generateSigningSecret(scheme);
    secrets[name] = generated;
    const now = new Date().toISOString();
    endpoints[name] = sampleEndpointSnapshot({
      id: `ep_${run}_${name}`,
      workspaceId: `ws_${run}`,
      url: receiver.url(`/${name}`),
      signatureScheme: scheme,
      secrets: [
        { id: `sec_${name}`, ciphertext: cipher.encrypt(generated.secret), createdAt: now, expiresAt: null },
      ],
      createdAt: now,
      updatedAt: now,
      ...overrides,
    });
  }

  let seq = 0;
  function delivery(name: string): DeliveryRequested {
    seq += 1;
    return {
      kind: 'DeliveryRequested',
      deliveryId: `dlv_${run}_${seq}`,
      workspaceId: `ws_${run}`,
      endpointId: endpoints[name]?.id ?? `ep_${run}_${name}`,
      eventId: `evt_${run}_${seq}`,
      eventType: 'message.created',
      occurredAt: new Date().toISOString(),
      attempt: 1,
      payload: JSON.stringify({ type: 'message.created', data: { seq, text: 'héllo ✓ "quoted"' } }),
      requestedAt: new Date().toISOString(),
      trigger: 'event',
    };
  }

  const origin = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
  async function send(deliveries: DeliveryRequested[], partition?: number): Promise<void> {
    await kafka.produce(
      Topics.deliveries,
      deliveries.map((d) => ({
        key: d.endpointId,
        value: JSON.stringify(d),
        partition,
        headers: { [KafkaHeaders.traceparent]: origin },
      })),
    );
  }

  const requestsTo = (name: string) => receiver.matching((r) => r.path === `/${name}`);
  const parse = <T>(r: SeenRecord) => JSON.parse(r.value!) as T;
  const attemptsOf = (deliveryId: string) =>
    kafka
      .matching((r) => r.topic === Topics.attempts && r.key === deliveryId)
      .map((r) => parse<AttemptRecorded>(r))
      .sort((a, b) => a.attempt - b.attempt);
  const waitAttempts = async (deliveryId: string, count: number, timeoutMs = 20_000) => {
    await kafka.waitFor(count, (r) => r.topic === Topics.attempts && r.key === deliveryId, timeoutMs);
    return attemptsOf(deliveryId);
  };
  const operational = (name: string) =>
    kafka
      .matching((r) => r.topic === Topics.operational && r.key === endpoints[name].id)
      .map((r) => parse<OperationalEvent>(r));
  const waitOperational = (name: string, type: string) =>
    kafka.waitFor(
      1,
      (r) =>
        r.topic === Topics.operational &&
        r.key === endpoints[name].id &&
        r.value!.includes(`"type":"${type}"`),
    );
  const waitDead = (deliveryId: string) =>
    kafka.waitFor(
      1,
      (r) =>
        r.topic === Topics.deliveriesDead &&
        r.value !== null &&
        r.value.includes(`"deliveryId":"${deliveryId}"`),
    );
  const deadLetters = (deliveryId: string) =>
    kafka.matching(
      (r) =>
        r.topic === Topics.deliveriesDead &&
        r.value !== null &&
        r.value.includes(`"deliveryId":"${deliveryId}"`),
    );

  /** Answers with each status in turn, then keeps answering the last. */
  function sequence(
    name: string,
    answers: Array<number | { status: number; headers?: Record<string, string> }>,
  ) {
    let index = 0;
    behaviours.set(name, (_req, res) => {
      const answer = answers[Math.min(index++, answers.length - 1)];
      const { status, headers } = typeof answer === 'number' ? { status: answer, headers: {} } : answer;
      res.writeHead(status, headers).end(`answer ${status}`);
    });
  }

  beforeAll(async () => {
    [env, receiver] = await Promise.all([
      startTestEnvironment({ withPostgres: false }),
      WebhookReceiver.start(),
    ]);
    receiver.respondWith((req, res) => {
      const name = req.path.slice(1);
      const behaviour = behaviours.get(name);
      if (behaviour) behaviour(req, res);
      else res.writeHead(200).end('ok');
    });

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
      ciphertext: cipher.encrypt(inGrace.secret),
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
    endpoint('hung', { timeoutMs: 8_000, maxInFlight: 2 });
    endpoint('healthy');
    endpoint('limited', { rateLimitPerSecond: 4 });
    endpoint('breaker');
    endpoint('custom', { retrySchedule: ['1s'] });

    kafka = await DispatcherKafka.start(env.kafkaBrokers, [
      Topics.attempts,
      Topics.operational,
      Topics.deliveriesDead,
      Topics.subscriptions,
      Topics.endpointCommands,
      'herald.retry.200ms',
      'herald.retry.1s',
    ]);
    await kafka.publishEndpoints(Object.values(endpoints));
    herald = await HeraldProcess.start({
      env: env.heraldEnv({
        HERALD_BREAKER_MIN_ATTEMPTS: '6',
        HERALD_BREAKER_FAILURE_RATE: '0.8',
        HERALD_BREAKER_WINDOW: '20s',
        HERALD_BREAKER_OPEN_FOR: '1s',
        HERALD_DISPATCH_SLOT_WAIT: '300ms',
        HERALD_DISPATCH_BATCH_HOLD: '500ms',
      }),
      services: ['dispatcher', 'scheduler'],
    });
  });

  afterAll(async () => {
    for (const res of hung) if (!res.writableEnded) res.writeHead(200).end('late');
    await herald?.stop();
    await kafka?.stop();
    await receiver?.stop();
    await env?.stop();
  });

  it('signs with Standard Webhooks (every key in grace) so standardwebhooks and svix verify, with Herald headers', async () => {
    const d = delivery('signed');
    await send([d]);
    const [req] = await receiver.waitFor(1, (r) => r.path === '/signed', 30_000);
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
    const [ed] = await receiver.waitFor(1, (r) => r.path === '/ed');
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
    const [hex] = await receiver.waitFor(1, (r) => r.path === '/hex');
    expect(hex.headers['x-webhook-signature']).toBe(mac('hex', hex.body).digest('hex'));
    const [nexa] = await receiver.waitFor(1, (r) => r.path === '/nexa');
    expect(nexa.headers['x-nexadesk-signature']).toBe(`sha256=${mac('nexa', nexa.body).digest('hex')}`);
    const [md] = await receiver.waitFor(1, (r) => r.path === '/md');
    expect(md.headers['x-messagedesk-signature']).toBe(mac('md', md.body).digest('base64'));
    expect(md.body.toString()).toBe(sent.md.payload);
  });

  it('retries a 500 through a tier topic with the same id and bytes, then succeeds', async () => {
    sequence('flaky', [500, 200]);
    const d = delivery('flaky');
    await send([d]);
    const requests = await receiver.waitFor(2, (r) => r.path === '/flaky');
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
    const [tier] = await kafka.waitFor(
      1,
      (r) => r.topic === 'herald.retry.200ms' && r.value!.includes(d.deliveryId),
    );
    expect(parse<DeliveryRequested>(tier)).toMatchObject({
      attempt: 2,
      trigger: 'retry',
      payload: d.payload,
    });
    expect(Number(tier.headers[KafkaHeaders.dueAt])).toBeGreaterThan(0);
    expect(tier.headers[KafkaHeaders.originTraceparent]).toBe(origin);
  });

  it('never follows a redirect and records it as a failure', async () => {
    behaviours.set('redirect', (req, res) => {
      if (req.headers['webhook-attempt'] === '1')
        res.writeHead(302, { location: receiver.url('/redirect-target') }).end();
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
    const [request] = await kafka.waitFor(
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
    await kafka.waitFor(1, (r) => r.topic === Topics.deliveriesDead && r.value!.includes(later.deliveryId));
    expect(deadLetters(later.deliveryId)[0].headers[KafkaHeaders.reasonCode]).toBe('endpoint_disabled');
    expect(requestsTo('gone')).toHaveLength(1);
    // The API is the only writer of endpoint snapshots (and of endpoint.disabled, once it applied it).
    expect(
      kafka.matching(
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
    const requests = await receiver.waitFor(5, (r) => r.path === '/backoff', 30_000);
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
    await kafka.waitFor(1, (r) => r.topic === Topics.deliveriesDead && r.value!.includes(d.deliveryId));
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
    await kafka.waitFor(1, (r) => r.topic === Topics.deliveriesDead && r.value!.includes(d.deliveryId));
    expect(deadLetters(d.deliveryId)[0].headers[KafkaHeaders.reasonCode]).toBe('endpoint_not_found');
  });

  it('keeps delivering to a healthy endpoint while a hung one shares its partition', async () => {
    behaviours.set('hung', (_req, res) => hung.push(res));
    await send(
      Array.from({ length: 10 }, () => delivery('hung')),
      0,
    );
    await receiver.waitFor(2, (r) => r.path === '/hung');
    const healthy = Array.from({ length: 20 }, () => delivery('healthy'));
    const sentAt = Date.now();
    await send(healthy, 0);
    const got = await receiver.waitFor(20, (r) => r.path === '/healthy', 15_000);
    const slowest = Math.max(...got.map((r) => r.receivedAt)) - sentAt;
    // The hung endpoint's attempts time out only after 8 s; healthy deliveries never wait for them.
    expect(slowest).toBeLessThan(3_000);
    // The hung endpoint never had more than its 2 slots in flight.
    expect(requestsTo('hung').length).toBeLessThanOrEqual(2);
  });

  it('honours an endpoint rate limit by deferring the excess without counting failures', async () => {
    const limited = Array.from({ length: 16 }, () => delivery('limited'));
    await send(limited);
    const got = await receiver.waitFor(16, (r) => r.path === '/limited', 30_000);
    const times = got.map((r) => r.receivedAt).sort((a, b) => a - b);
    // A 4/s bucket holding at most 4 tokens: any 1 s window sees at most 4 + 4 requests.
    for (const start of times)
      expect(times.filter((t) => t >= start && t < start + 1_000).length).toBeLessThanOrEqual(8);
    expect(times[times.length - 1] - times[0]).toBeGreaterThanOrEqual(((16 - 4) / 4) * 1_000 - 300);
    expect(got.every((r) => r.headers['webhook-attempt'] === '1')).toBe(true);
    expect(new Set(got.map((r) => r.headers['webhook-id'])).size).toBe(16);
  });

  it('opens the circuit on sustained failure, stops hammering, and closes it after a good probe', async () => {
    let healthy = false;
    behaviours.set('breaker', (_req, res) => res.writeHead(healthy ? 200 : 503).end());
    const batch = Array.from({ length: 8 }, () => delivery('breaker'));
    await send(batch);
    await kafka.waitFor(
      1,
      (r) =>
        r.topic === Topics.operational &&
        r.key === endpoints.breaker.id &&
        r.value!.includes('circuit_opened'),
    );
    const atOpen = requestsTo('breaker').length;
    await new Promise((r) => setTimeout(r, 600));
    // Open for 1 s: nothing reaches the endpoint meanwhile.
    expect(requestsTo('breaker').length).toBe(atOpen);
    healthy = true;
    await kafka.waitFor(
      1,
      (r) =>
        r.topic === Topics.operational &&
        r.key === endpoints.breaker.id &&
        r.value!.includes('circuit_closed'),
    );
    for (const d of batch) {
      const attempts = await waitAttempts(d.deliveryId, 1);
      await kafka.waitFor(
        1,
        (r) => r.topic === Topics.attempts && r.key === d.deliveryId && r.value!.includes('"succeeded"'),
        20_000,
      );
      expect(attempts.length).toBeGreaterThanOrEqual(1);
    }
  });
});
