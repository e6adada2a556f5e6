import { decideInternalAccess, isInternalPath, type InternalExposure } from './internal-endpoints.policy';

const token = 'an-operator-token-of-length';
const admin = `Bearer ${token}`;
const exposure = (publicAccess: InternalExposure['publicAccess']): InternalExposure => ({
  publicAccess,
  adminToken: token,
});
const publicPort = (path: string, authorization?: string) => ({ path, onInternalPort: false, authorization });

describe('isInternalPath', () => {
  it.each(['/metrics', '/docs', '/docs/', '/docs/swagger-ui.css', '/docs-json', '/docs-yaml'])(
    '%s',
    (path) => {
      expect(isInternalPath(path)).toBe(true);
    },
  );
  it.each(['/v1/workspaces', '/health/ready', '/metricsx', '/docsearch', '/v1/docs'])('not %s', (path) => {
    expect(isInternalPath(path)).toBe(false);
  });
});

describe('decideInternalAccess on the public port', () => {
  it('admin-token: /metrics and /docs answer 401 without the token, and are served with it', () => {
    for (const path of ['/metrics', '/docs', '/docs-json']) {
      expect(decideInternalAccess(publicPort(path), exposure('admin-token'))).toMatchObject({
        serve: false,
        status: 401,
      });
      expect(
        decideInternalAccess(publicPort(path, 'Bearer wrong-token-000000'), exposure('admin-token')),
      ).toMatchObject({ serve: false, status: 401 });
      expect(decideInternalAccess(publicPort(path, admin), exposure('admin-token'))).toMatchObject({
        serve: true,
      });
    }
  });

  it('off: /metrics and /docs are not there at all, even with the token', () => {
    expect(decideInternalAccess(publicPort('/metrics', admin), exposure('off'))).toMatchObject({
      serve: false,
      status: 404,
    });
  });

  it('open: served to anyone', () => {
    expect(decideInternalAccess(publicPort('/metrics'), exposure('open'))).toEqual({
      serve: true,
      readinessDetails: false,
    });
  });

  it('health is always served; readiness details only with the admin token', () => {
    for (const access of ['open', 'admin-token', 'off'] as const) {
      expect(decideInternalAccess(publicPort('/health/ready'), exposure(access))).toEqual({
        serve: true,
        readinessDetails: false,
      });
      expect(decideInternalAccess(publicPort('/health/ready', admin), exposure(access))).toEqual({
        serve: true,
        readinessDetails: true,
      });
    }
    expect(
      decideInternalAccess(publicPort('/health/ready', admin), {
        publicAccess: 'open',
        adminToken: undefined,
      }),
    ).toEqual({ serve: true, readinessDetails: false });
  });

  it('leaves API routes alone', () => {
    expect(decideInternalAccess(publicPort('/v1/workspaces'), exposure('admin-token'))).toEqual({
      serve: true,
      readinessDetails: false,
    });
  });
});

describe('decideInternalAccess on the internal port', () => {
  const internal = (path: string) => ({ path, onInternalPort: true });

  it('serves the internal paths and health, with readiness details, without a token', () => {
    for (const path of ['/metrics', '/docs-json', '/health/ready', '/health/live']) {
      expect(decideInternalAccess(internal(path), exposure('off'))).toEqual({
        serve: true,
        readinessDetails: true,
      });
    }
  });

  it('serves nothing of the API', () => {
    expect(decideInternalAccess(internal('/v1/workspaces'), exposure('open'))).toMatchObject({
      serve: false,
      status: 404,
    });
  });
});
