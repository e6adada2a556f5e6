import { CircuitBreakers } from './circuit.breaker';
import { EndpointLimiter } from './endpoint.limiter';
import { FailureTracker } from './failure.tracker';
import { buildRequestHeaders, redactHeaders } from './request-headers';
import { classifyStatus } from './response.classifier';

describe('classifyStatus', () => {
  it.each([
    [200, 'success'],
    [204, 'success'],
    [299, 'success'],
    [301, 'retry'],
    [302, 'retry'],
    [308, 'retry'],
    [400, 'retry'],
    [404, 'retry'],
    [410, 'disable'],
    [429, 'backoff'],
    [500, 'retry'],
    [502, 'backoff'],
    [503, 'backoff'],
    [504, 'backoff'],
  ])('%i -> %s', (status, verdict) => expect(classifyStatus(status)).toBe(verdict));
});

describe('CircuitBreakers', () => {
  const settings = { failureRate: 0.5, minimumAttempts: 4, windowMs: 10_000, openMs: 5_000 };

  it('opens on a sustained failure rate, blocks, lets one probe through, and closes on success', () => {
    const breakers = new CircuitBreakers(settings);
    expect(breakers.record('e', true, 0)).toBeNull();
    expect(breakers.record('e', false, 1)).toBeNull();
    expect(breakers.record('e', true, 2)).toBeNull();
    expect(breakers.record('e', true, 3)).toBe('opened');
    expect(breakers.allow('e', 100)).toBe(false);
    expect(breakers.reopensAt('e')).toBe(5_003);
    expect(breakers.allow('e', 5_003)).toBe(true);
    expect(breakers.allow('e', 5_004)).toBe(false);
    expect(breakers.record('e', false, 5_100)).toBe('closed');
    expect(breakers.allow('e', 5_101)).toBe(true);
  });

  it('re-opens when the probe fails, without a second opened event', () => {
    const breakers = new CircuitBreakers({ ...settings, minimumAttempts: 1, failureRate: 1 });
    expect(breakers.record('e', true, 0)).toBe('opened');
    expect(breakers.allow('e', 5_000)).toBe(true);
    expect(breakers.record('e', true, 5_001)).toBeNull();
    expect(breakers.allow('e', 5_002)).toBe(false);
    expect(breakers.allow('e', 10_001)).toBe(true);
  });

  it('forgets failures outside the window and never opens on a few errors among many successes', () => {
    const breakers = new CircuitBreakers(settings);
    for (let t = 0; t < 100; t++) expect(breakers.record('e', t % 5 === 0, t * 1000)).toBeNull();
    expect(breakers.state('e')).toBe('closed');
  });
});

describe('EndpointLimiter', () => {
  it('caps in-flight per endpoint and globally without blocking other endpoints', () => {
    const limiter = new EndpointLimiter(3);
    expect(limiter.tryAcquire('a', 2, null, 0)).toBe('ok');
    expect(limiter.tryAcquire('a', 2, null, 0)).toBe('ok');
    expect(limiter.tryAcquire('a', 2, null, 0)).toBe('concurrency');
    expect(limiter.tryAcquire('b', 2, null, 0)).toBe('ok');
    expect(limiter.tryAcquire('c', 2, null, 0)).toBe('global');
    limiter.release('a');
    expect(limiter.tryAcquire('c', 2, null, 0)).toBe('ok');
  });

  it('enforces a requests-per-second budget', () => {
    const limiter = new EndpointLimiter(100);
    let sent = 0;
    for (let t = 0; t < 3_000; t += 10) {
      if (limiter.tryAcquire('a', 100, 5, t) === 'ok') {
        sent += 1;
        limiter.release('a');
      }
    }
    // 5 at start plus 5 per second over 3 s
    expect(sent).toBeGreaterThanOrEqual(15);
    expect(sent).toBeLessThanOrEqual(20);
  });
});

describe('FailureTracker', () => {
  it('disables only after continuous failure for the configured time', () => {
    const tracker = new FailureTracker(1000);
    expect(tracker.record('e', true, 0)).toBe(false);
    expect(tracker.record('e', true, 999)).toBe(false);
    expect(tracker.record('e', false, 999)).toBe(false);
    expect(tracker.record('e', true, 1500)).toBe(false);
    expect(tracker.record('e', true, 2500)).toBe(true);
  });
});

describe('request headers', () => {
  it('lets custom headers through but never over ours or the signature', () => {
    const headers = buildRequestHeaders({
      userAgent: 'Herald/1.0.0',
      webhookId: 'd1',
      timestamp: 10,
      attempt: 2,
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      custom: {
        'X-Tenant': 'acme',
        'Content-Type': 'text/plain',
        'Webhook-Id': 'forged',
        'X-Hub-Signature': 'forged',
        'Bad Name': 'x',
        'User-Agent': 'x',
      },
      signatures: { 'x-hub-signature': 'sha256=abc' },
      signatureHeader: 'x-hub-signature',
    });
    expect(headers).toEqual({
      'x-tenant': 'acme',
      'content-type': 'application/json',
      'user-agent': 'Herald/1.0.0',
      'webhook-id': 'd1',
      'webhook-timestamp': '10',
      'webhook-attempt': '2',
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      'x-hub-signature': 'sha256=abc',
    });
    expect(redactHeaders({ ...headers, Authorization: 'Bearer x' }, 'x-hub-signature')).toMatchObject({
      'x-hub-signature': '[redacted]',
      authorization: '[redacted]',
      'x-tenant': 'acme',
    });
  });
});
