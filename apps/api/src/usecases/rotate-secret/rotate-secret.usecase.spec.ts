import { DomainError } from '@herald/contracts';
import { DEFAULT_GRACE_MS, MAX_GRACE_MS, parseGracePeriod } from './rotate-secret.usecase';

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
