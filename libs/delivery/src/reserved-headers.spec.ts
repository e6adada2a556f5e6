import { buildRequestHeaders, redactHeaders } from './request-headers';
import { customHeaderProblem, isHeraldSetHeader, signatureHeaderProblem } from './reserved-headers';

describe('reserved headers (one list for the API and the dispatcher)', () => {
  it.each([
    'Keep-Alive',
    'Upgrade',
    'TE',
    'Trailer',
    'Expect',
    'Proxy-Authorization',
    'Webhook-Attempt',
    'Connection',
    'Transfer-Encoding',
    'Host',
    'Content-Length',
    'Content-Type',
    'User-Agent',
    'webhook-id',
    'Webhook-Timestamp',
    'webhook-signature',
    'Webhook-Anything',
    'traceparent',
    'TraceState',
  ])('refuses %s as a custom header, naming it', (name) => {
    expect(customHeaderProblem(name, 'x', null)).toContain(name);
  });

  it('refuses the endpoint signature header as a custom header', () => {
    expect(customHeaderProblem('X-Hub-Signature', 'x', 'x-hub-signature')).toContain('X-Hub-Signature');
    expect(customHeaderProblem('X-Hub-Signature', 'x', null)).toBeNull();
  });

  it.each([
    ['a line break', 'a\r\nb'],
    ['a NUL', 'a\0b'],
    ['another control character', 'a\x07b'],
    ['DEL', 'a\x7fb'],
    ['a character above Latin-1', 'caf\u00e9 \u2603'],
    ['an emoji', 'key-\u{1f511}'],
  ])('refuses a value with %s', (_what, value) => {
    expect(customHeaderProblem('X-Partner-Key', value, null)).toMatch(
      /control characters or characters outside Latin-1/,
    );
  });

  it('accepts visible ASCII, Latin-1 and tabs, up to 4096 characters', () => {
    expect(customHeaderProblem('X-Partner-Key', 'Bearer abc.def\tg\u00e9', null)).toBeNull();
    expect(customHeaderProblem('X-Partner-Key', 'a'.repeat(4_096), null)).toBeNull();
    expect(customHeaderProblem('X-Partner-Key', 'a'.repeat(4_097), null)).toMatch(/at most 4096/);
    expect(customHeaderProblem('Bad Name', 'x', null)).toMatch(/not a valid header name/);
  });

  it.each([
    'Host',
    'Content-Length',
    'Content-Type',
    'User-Agent',
    'webhook-id',
    'Webhook-Timestamp',
    'traceparent',
    'Connection',
  ])('refuses signatureHeader %s (Herald or the connection sets it)', (name) => {
    expect(signatureHeaderProblem(name)).toContain(name);
  });

  it('accepts a signatureHeader of the receiver’s own', () => {
    expect(signatureHeaderProblem('X-NexaDesk-Signature')).toBeNull();
    expect(isHeraldSetHeader('X-NexaDesk-Signature')).toBe(false);
    expect(signatureHeaderProblem('X Sig')).toMatch(/not a valid header name/);
  });
});

const base = {
  userAgent: 'Herald/1.0.0',
  webhookId: 'd1',
  timestamp: 10,
  attempt: 2,
  traceparent: null,
  signatures: { 'webhook-signature': 'v1,abc' },
  signatureHeader: 'webhook-signature',
};

describe('buildRequestHeaders', () => {
  it('skips what an older snapshot may still hold (reserved names, unsendable values) and names each one', () => {
    const { headers, skipped } = buildRequestHeaders({
      ...base,
      custom: {
        'X-Partner-Key': 'k1',
        'Keep-Alive': 'timeout=5',
        'Webhook-Attempt': '99',
        Expect: '100-continue',
        'X-Broken': 'a\r\nInjected: yes',
        'X-Snowman': '\u2603',
      },
    });
    expect(skipped).toEqual(['Keep-Alive', 'Webhook-Attempt', 'Expect', 'X-Broken', 'X-Snowman']);
    expect(headers['x-partner-key']).toBe('k1');
    expect(headers['webhook-attempt']).toBe('2');
    expect(Object.keys(headers)).not.toEqual(
      expect.arrayContaining(['keep-alive', 'expect', 'x-broken', 'injected']),
    );
  });
});

describe('redactHeaders', () => {
  it('replaces every custom header value, whatever it is named, and keeps the names', () => {
    const { headers } = buildRequestHeaders({
      ...base,
      custom: { 'X-Partner-Key': 'pk_live_1', 'X-Tenant': 'acme' },
    });
    const recorded = redactHeaders(headers, 'webhook-signature', ['X-Partner-Key', 'X-Tenant']);
    expect(recorded).toMatchObject({
      'x-partner-key': '[redacted]',
      'x-tenant': '[redacted]',
      'webhook-signature': '[redacted]',
      'webhook-id': 'd1',
      'content-type': 'application/json',
    });
    expect(JSON.stringify(recorded)).not.toContain('pk_live_1');
    expect(JSON.stringify(recorded)).not.toContain('acme');
  });
});
