import { decideIdempotency, IN_PROGRESS_STATUS, type StoredIdempotency } from './idempotency.policy';

const now = Date.parse('2026-12-01T12:00:00Z');
const context = { route: 'POST /x', requestHash: 'h', now, ttlMs: 60_000, abandonedAfterMs: 10_000 };
const row = (fields: Partial<StoredIdempotency>): StoredIdempotency => ({
  route: 'POST /x',
  requestHash: 'h',
  statusCode: 201,
  createdAt: new Date(now - 1_000),
  ...fields,
});

describe('decideIdempotency', () => {
  it('claims a key nobody used', () => {
    expect(decideIdempotency(null, context)).toBe('claim');
  });

  it('replays a finished response of the same request', () => {
    expect(decideIdempotency(row({}), context)).toBe('replay');
  });

  it('waits for a request with the same key that is still running instead of running again', () => {
    expect(decideIdempotency(row({ statusCode: IN_PROGRESS_STATUS }), context)).toBe('wait');
  });

  it('takes over a claim whose request died', () => {
    const stale = row({ statusCode: IN_PROGRESS_STATUS, createdAt: new Date(now - 10_000) });
    expect(decideIdempotency(stale, context)).toBe('take-over');
  });

  it('refuses the key for another body or route, running or not', () => {
    expect(decideIdempotency(row({ requestHash: 'other' }), context)).toBe('mismatch');
    expect(decideIdempotency(row({ route: 'POST /y', statusCode: IN_PROGRESS_STATUS }), context)).toBe(
      'mismatch',
    );
  });

  it('expires a finished response past its TTL, whatever the request', () => {
    expect(decideIdempotency(row({ createdAt: new Date(now - 60_000), requestHash: 'other' }), context)).toBe(
      'expire',
    );
  });
});
