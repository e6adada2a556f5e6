import { loadConfig } from '@herald/config';
import { MAX_ATTEMPT_TIMEOUT_MS } from '@herald/contracts';
import { apiEnv } from './api.env';
import { keyRateWindow } from './api.settings';

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

describe('apiEnv limits', () => {
  it('defaults to 100 endpoints per workspace and 50 requests/s per key with a burst of 100', () => {
    const env = loadConfig(apiEnv, base);
    expect(env).toMatchObject({
      HERALD_WORKSPACE_MAX_ENDPOINTS: 100,
      HERALD_API_KEY_RATE_LIMIT: 50,
      HERALD_API_KEY_RATE_BURST: 100,
    });
    expect(keyRateWindow(env.HERALD_API_KEY_RATE_LIMIT, env.HERALD_API_KEY_RATE_BURST)).toEqual({
      burst: 100,
      windowMs: 2_000,
    });
  });

  it.each([
    ['HERALD_WORKSPACE_MAX_ENDPOINTS', '0'],
    ['HERALD_API_KEY_RATE_LIMIT', '0'],
    ['HERALD_API_KEY_RATE_BURST', '10'],
    ['HERALD_API_KEY_RATE_BURST', '3001'],
  ])('stops at start-up naming %s=%s', (name, value) => {
    expect(() => loadConfig(apiEnv, { ...base, [name]: value })).toThrow(
      new RegExp(`^Configuration error: ${name} `),
    );
  });
});
