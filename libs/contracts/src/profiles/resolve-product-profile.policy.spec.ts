import { DomainError, ErrorCode } from '../domain-error';
import { parseDuration } from '../duration';
import { PRODUCT_PROFILE_NAMES, PRODUCT_PROFILES } from './product-profiles';
import { differingSettings, resolveProductProfile } from './resolve-product-profile.policy';

const DEFAULT_TIERS = ['5s', '1m', '5m', '30m', '2h', '24h'].map(parseDuration);

describe('resolveProductProfile', () => {
  it.each([
    ['guddesk', 'herald', 'hmac-sha256-prefixed', 'X-GudDesk-Signature', null, false],
    ['messagedesk', 'messagedesk', 'hmac-base64', 'X-MessageDesk-Signature', null, false],
    ['messages-dev', 'messages-dev', 'hmac-hex', 'X-Webhook-Signature', null, false],
    [
      'nexadesk',
      'nexadesk',
      'hmac-sha256-prefixed',
      'X-NexaDesk-Signature',
      ['1m', '5m', '30m', '2h', '24h'],
      true,
    ],
  ])('%s sets every setting it names', (name, payload, scheme, header, schedule, verify) => {
    expect(resolveProductProfile(name, {}, DEFAULT_TIERS)).toEqual({
      profile: name,
      settings: {
        payloadProfile: payload,
        signatureScheme: scheme,
        signatureHeader: header,
        retrySchedule: schedule,
        verifyOnCreate: verify,
      },
      overrides: [],
    });
  });

  it('lists exactly the four seed products', () => {
    expect(PRODUCT_PROFILE_NAMES).toEqual(['guddesk', 'messagedesk', 'messages-dev', 'nexadesk']);
  });

  it('lets explicitly sent settings win and reports them as overrides', () => {
    const resolved = resolveProductProfile(
      'nexadesk',
      { retrySchedule: ['5s'], verifyOnCreate: false, signatureHeader: undefined },
      DEFAULT_TIERS,
    );
    expect(resolved.settings).toEqual({
      ...PRODUCT_PROFILES.nexadesk,
      retrySchedule: ['5s'],
      verifyOnCreate: false,
    });
    expect(resolved.overrides).toEqual(['retrySchedule', 'verifyOnCreate']);
  });

  it('takes an explicit null header (the scheme default) as an override', () => {
    const resolved = resolveProductProfile('guddesk', { signatureHeader: null });
    expect(resolved.settings.signatureHeader).toBeNull();
    expect(resolved.overrides).toEqual(['signatureHeader']);
  });

  it('does not count a value equal to the profile as an override', () => {
    const resolved = resolveProductProfile('nexadesk', {
      signatureHeader: 'x-nexadesk-signature',
      retrySchedule: ['60s', '5m', '30m', '2h', '24h'],
    });
    expect(resolved.overrides).toEqual([]);
  });

  it('refuses an unknown profile naming the productProfile field', () => {
    const error = catchError(() => resolveProductProfile('zendesk', {}));
    expect(error.code).toBe(ErrorCode.ValidationFailed);
    expect(error.details?.fields).toEqual([
      { field: 'productProfile', message: expect.stringContaining('guddesk, messagedesk') },
    ]);
  });

  it('names every tier the profile schedule needs and the deployment lacks, and the way out', () => {
    const error = catchError(() =>
      resolveProductProfile('nexadesk', {}, ['1m', '5m', '30m'].map(parseDuration)),
    );
    expect(error.code).toBe(ErrorCode.UnknownRetryTier);
    expect(error.details?.missingTiers).toEqual(['2h', '24h']);
    expect(error.message).toContain('no retry tier for 2h, 24h');
    expect(error.message).toContain('HERALD_RETRY_TIERS: 1m, 5m, 30m');
    expect(error.message).toContain('send retrySchedule');
  });

  it('skips the tier check when retrySchedule is overridden (the usual validation applies to it)', () => {
    const resolved = resolveProductProfile('nexadesk', { retrySchedule: ['1m'] }, [parseDuration('1m')]);
    expect(resolved.settings.retrySchedule).toEqual(['1m']);
  });
});

describe('differingSettings', () => {
  it('compares stored settings with the profile, ignoring what was not given', () => {
    expect(
      differingSettings('nexadesk', {
        payloadProfile: 'nexadesk',
        signatureScheme: 'hmac-sha256-prefixed',
        signatureHeader: 'X-NexaDesk-Signature',
        retrySchedule: null,
      }),
    ).toEqual(['retrySchedule']);
    expect(differingSettings('messagedesk', { payloadProfile: 'herald', signatureHeader: null })).toEqual([
      'payloadProfile',
      'signatureHeader',
    ]);
  });
});

function catchError(run: () => unknown): DomainError {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}
