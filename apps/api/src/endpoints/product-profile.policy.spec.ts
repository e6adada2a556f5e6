import { DomainError, ErrorCode, parseDuration } from '@herald/contracts';
import { profileOverrides, withProductProfile } from './product-profile.policy';

const TIERS = ['5s', '1m', '5m', '30m', '2h', '24h'].map(parseDuration);
const create = { url: 'https://receiver.example.test/hook', eventTypes: ['message.created'] };

describe('withProductProfile', () => {
  it('fills in every setting the profile names, verify-on-create included', () => {
    expect(withProductProfile({ ...create, productProfile: 'nexadesk' }, TIERS)).toEqual({
      ...create,
      productProfile: 'nexadesk',
      payloadProfile: 'nexadesk',
      signatureScheme: 'hmac-sha256-prefixed',
      signatureHeader: 'X-NexaDesk-Signature',
      retrySchedule: ['1m', '5m', '30m', '2h', '24h'],
      verifyOnCreate: true,
    });
  });

  it('keeps what the request sends beside the profile', () => {
    const resolved = withProductProfile(
      { ...create, productProfile: 'nexadesk', retrySchedule: ['5s'], verifyOnCreate: false, timeoutMs: 500 },
      TIERS,
    );
    expect(resolved).toMatchObject({
      payloadProfile: 'nexadesk',
      retrySchedule: ['5s'],
      verifyOnCreate: false,
      timeoutMs: 500,
    });
  });

  it('leaves a request without a profile, or clearing it with null, untouched', () => {
    const patch = { retrySchedule: ['5m'] };
    expect(withProductProfile(patch, TIERS)).toBe(patch);
    const clear = { productProfile: null };
    expect(withProductProfile(clear, TIERS)).toBe(clear);
  });

  it('refuses a profile schedule the deployment has no tiers for, naming them', () => {
    let error: unknown;
    try {
      withProductProfile({ productProfile: 'nexadesk' }, [parseDuration('5s')]);
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe(ErrorCode.UnknownRetryTier);
    expect((error as DomainError).details?.missingTiers).toEqual(['1m', '5m', '30m', '2h', '24h']);
  });
});

describe('profileOverrides', () => {
  const nexadesk = {
    payloadProfile: 'nexadesk',
    signatureScheme: 'hmac-sha256-prefixed',
    signatureHeader: 'X-NexaDesk-Signature',
    retrySchedule: ['1m', '5m', '30m', '2h', '24h'],
  } as const;

  it('is empty when the stored settings are the profile', () => {
    expect(profileOverrides('nexadesk', { ...nexadesk, retrySchedule: [...nexadesk.retrySchedule] })).toEqual(
      [],
    );
  });

  it('names a setting PATCHed away from the profile', () => {
    expect(profileOverrides('nexadesk', { ...nexadesk, retrySchedule: ['5s'] })).toEqual(['retrySchedule']);
  });

  it('is empty without a profile', () => {
    expect(profileOverrides(null, { ...nexadesk, retrySchedule: null, payloadProfile: 'herald' })).toEqual(
      [],
    );
  });
});
