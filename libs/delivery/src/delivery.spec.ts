import { CIRCUIT_BUCKETS, CircuitBreakers } from './circuit.breaker';
import { FailureStreaks, liveStreak } from './failure-streak';
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

  it('keeps a fixed number of counters however many attempts the window holds', () => {
    const breakers = new CircuitBreakers({ ...settings, minimumAttempts: 1_000_000, windowMs: 3_600_000 });
    for (let t = 0; t < 200_000; t++) breakers.record('e', t % 2 === 0, t);
    expect(breakers.state('e')).toBe('closed');
    // Counters per bucket, not one entry per attempt: the cost of an attempt never grows with the window.
    expect(breakers.get('e')!.buckets).toHaveLength(CIRCUIT_BUCKETS * 3);
  });

  it('slides the window a bucket at a time: failures older than the window stop counting', () => {
    const breakers = new CircuitBreakers({ ...settings, minimumAttempts: 4, failureRate: 0.5 });
    for (let t = 0; t < 3; t++) expect(breakers.record('e', true, t)).toBeNull();
    // 10 s later the three failures are out of the window: one more failure among successes stays closed.
    expect(breakers.record('e', false, 10_500)).toBeNull();
    expect(breakers.record('e', false, 10_600)).toBeNull();
    expect(breakers.record('e', true, 10_700)).toBeNull();
    expect(breakers.record('e', false, 10_800)).toBeNull();
    expect(breakers.state('e')).toBe('closed');
  });

  it('forgets failures outside the window and never opens on a few errors among many successes', () => {
    const breakers = new CircuitBreakers(settings);
    for (let t = 0; t < 100; t++) expect(breakers.record('e', t % 5 === 0, t * 1000)).toBeNull();
    expect(breakers.state('e')).toBe('closed');
  });
});

describe('FailureStreaks', () => {
  it('voids a streak recorded against an older snapshot version, and prunes it', () => {
    const streaks = new FailureStreaks();
    streaks.set('e', { version: 3, failingSince: 100 });
    expect(liveStreak(streaks.get('e'), 3)).toEqual({ version: 3, failingSince: 100 });
    expect(liveStreak(streaks.get('e'), 4)).toBeUndefined();
    streaks.pruneBelow('e', 3);
    expect(streaks.size).toBe(1);
    streaks.pruneBelow('e', 4);
    expect(streaks.size).toBe(0);
  });
});

describe('request headers', () => {
  it('lets custom headers through but never over ours or the signature', () => {
    const { headers } = buildRequestHeaders({
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
