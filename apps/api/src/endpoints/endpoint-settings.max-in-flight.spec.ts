import { loadConfig } from '@herald/config';
import { DomainError } from '@herald/contracts';
import { apiEnv } from '../api.env';
import type { ApiSettings } from '../api.settings';
import { EndpointSettingsPolicy } from './endpoint-settings.policy';

const base = { HERALD_ADMIN_TOKEN: 'a-long-enough-operator-token' };

describe('EndpointSettingsPolicy: maxInFlight is bounded by the dispatcher slots', () => {
  const policy = (env: Record<string, string> = {}) =>
    new EndpointSettingsPolicy(loadConfig(apiEnv, { ...base, ...env }), {} as ApiSettings);

  function refusal(check: () => unknown) {
    try {
      check();
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return { status: error.details?.status, fields: error.details?.fields, message: error.message };
    }
    return undefined;
  }

  it('accepts up to the dispatcher default global cap (512) and refuses above it with a 422 naming the field', () => {
    expect(refusal(() => policy().check({ maxInFlight: 512 }))).toBeUndefined();
    expect(refusal(() => policy().check({ maxInFlight: 513 }))).toEqual({
      status: 422,
      fields: [{ field: 'maxInFlight', message: 'at most 512' }],
      message: 'maxInFlight is at most 512 (attempts in flight per dispatcher process)',
    });
    expect(refusal(() => policy().check({ maxInFlight: 10_000 }))).toMatchObject({ status: 422 });
  });

  it('follows HERALD_ENDPOINT_MAX_IN_FLIGHT', () => {
    const small = policy({ HERALD_ENDPOINT_MAX_IN_FLIGHT: '64', HERALD_ENDPOINT_DEFAULT_MAX_IN_FLIGHT: '8' });
    expect(refusal(() => small.check({ maxInFlight: 64 }))).toBeUndefined();
    expect(refusal(() => small.check({ maxInFlight: 65 }))).toMatchObject({ status: 422 });
  });

  it('stops at start-up when the default is above the ceiling', () => {
    expect(() =>
      loadConfig(apiEnv, {
        ...base,
        HERALD_ENDPOINT_MAX_IN_FLIGHT: '8',
        HERALD_ENDPOINT_DEFAULT_MAX_IN_FLIGHT: '16',
      }),
    ).toThrow(/^Configuration error: HERALD_ENDPOINT_DEFAULT_MAX_IN_FLIGHT .*HERALD_ENDPOINT_MAX_IN_FLIGHT/);
  });
});
