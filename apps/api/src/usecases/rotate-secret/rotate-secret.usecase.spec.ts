import { DomainError } from '@herald/contracts';
import { DEFAULT_GRACE_MS, MAX_GRACE_MS, parseGracePeriod } from './rotate-secret.usecase';
import { httpStatusOf } from '../../http/domain-error.filter';

describe('rotation grace period', () => {
  it('defaults to 24 h and accepts 0 s to 7 d', () => {
    expect(parseGracePeriod(undefined)).toBe(DEFAULT_GRACE_MS);
    expect(parseGracePeriod('0s')).toBe(0);
    expect(parseGracePeriod('0')).toBe(0);
    expect(parseGracePeriod('30m')).toBe(1_800_000);
    expect(parseGracePeriod('7d')).toBe(MAX_GRACE_MS);
  });

  it.each(['8d', '169h', 'soon', '-1s', ''])('refuses %j naming the field', (text) => {
    try {
      parseGracePeriod(text);
      throw new Error('accepted');
    } catch (error) {
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).details?.fields).toEqual([
        expect.objectContaining({ field: 'gracePeriod' }),
      ]);
    }
  });
});

describe('rotation grace period for one-key schemes', () => {
  it.each(['hmac-base64', 'hmac-hex', 'hmac-sha256-prefixed'] as const)(
    '%s defaults to no grace and accepts 0s',
    (scheme) => {
      expect(parseGracePeriod(undefined, scheme)).toBe(0);
      expect(parseGracePeriod('0s', scheme)).toBe(0);
    },
  );

  it.each(['hmac-base64', 'hmac-hex', 'hmac-sha256-prefixed'] as const)(
    '%s refuses a grace period it could not honour with 422',
    (scheme) => {
      try {
        parseGracePeriod('24h', scheme);
        throw new Error('accepted');
      } catch (error) {
        expect(error).toBeInstanceOf(DomainError);
        expect(httpStatusOf(error as DomainError)).toBe(422);
        expect((error as DomainError).message).toContain(scheme);
      }
    },
  );

  it('keeps the grace period for schemes that sign with every active key', () => {
    expect(parseGracePeriod('24h', 'standard-webhooks')).toBe(24 * 3_600_000);
    expect(parseGracePeriod('1h', 'ed25519')).toBe(3_600_000);
  });
});
