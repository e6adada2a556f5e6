import { loadConfig } from '@herald/config';
import { MAX_ATTEMPT_TIMEOUT_MS } from '@herald/contracts';
import { apiEnv } from './api.env';

const base = { HERALD_ADMIN_TOKEN: 'a-long-enough-operator-token' };

describe('apiEnv timeouts', () => {
  it('defaults to 15s per attempt and the sender bound as the most an endpoint may set', () => {
    expect(loadConfig(apiEnv, base)).toMatchObject({
      HERALD_ENDPOINT_DEFAULT_TIMEOUT: 15_000,
      HERALD_ENDPOINT_MAX_TIMEOUT: MAX_ATTEMPT_TIMEOUT_MS,
    });
  });

  it.each([
    ['HERALD_ENDPOINT_MAX_TIMEOUT', '60s'],
    ['HERALD_ENDPOINT_DEFAULT_TIMEOUT', '45s'],
  ])('stops at start-up naming %s=%s, above the sender bound', (name, value) => {
    expect(() => loadConfig(apiEnv, { ...base, [name]: value })).toThrow(
      new RegExp(`^Configuration error: ${name} `),
    );
  });

  it('stops when the default is above the maximum', () => {
    expect(() =>
      loadConfig(apiEnv, {
        ...base,
        HERALD_ENDPOINT_DEFAULT_TIMEOUT: '20s',
        HERALD_ENDPOINT_MAX_TIMEOUT: '10s',
      }),
    ).toThrow(/^Configuration error: HERALD_ENDPOINT_DEFAULT_TIMEOUT .*HERALD_ENDPOINT_MAX_TIMEOUT/);
  });
});
