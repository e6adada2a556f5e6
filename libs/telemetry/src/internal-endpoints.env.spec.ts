import { loadConfig } from '@herald/config';
import { internalEndpointsEnv, publicAccessOf } from './internal-endpoints.env';

const access = (env: Record<string, string>) => publicAccessOf(loadConfig(internalEndpointsEnv, env));
const token = { HERALD_ADMIN_TOKEN: 'an-operator-token-of-length' };

describe('internalEndpointsEnv', () => {
  it('defaults to the admin token in production, open in development, off with an internal port', () => {
    expect(access(token)).toBe('admin-token');
    expect(access({ HERALD_MODE: 'development' })).toBe('open');
    expect(access({ HERALD_INTERNAL_PORT: '9464' })).toBe('off');
    expect(access({ HERALD_INTERNAL_PORT: '9464', HERALD_INTERNAL_ACCESS: 'admin-token', ...token })).toBe(
      'admin-token',
    );
  });

  it('stops at start-up in production when nothing guards /metrics: no token and no internal port', () => {
    expect(() => loadConfig(internalEndpointsEnv, {})).toThrow(
      /^Configuration error: HERALD_ADMIN_TOKEN is missing: .*HERALD_INTERNAL_PORT/,
    );
    expect(access({ HERALD_INTERNAL_ACCESS: 'open' })).toBe('open');
  });

  it('refuses an internal port equal to the HTTP port, and an unknown access', () => {
    expect(() => loadConfig(internalEndpointsEnv, { HERALD_INTERNAL_PORT: '3000' })).toThrow(
      /HERALD_INTERNAL_PORT .*must differ from HERALD_HTTP_PORT/,
    );
    expect(() => loadConfig(internalEndpointsEnv, { ...token, HERALD_INTERNAL_ACCESS: 'public' })).toThrow(
      /HERALD_INTERNAL_ACCESS/,
    );
  });
});
