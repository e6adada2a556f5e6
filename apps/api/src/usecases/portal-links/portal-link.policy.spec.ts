import { ErrorCode } from '@herald/contracts';
import { planPortalLink, portalLinkRefusal, portalUrl } from './portal-link.policy';

const now = new Date('2026-12-02T18:00:00.000Z');
const limits = { maxTtlSeconds: 86_400, now };

describe('minting a portal link', () => {
  it('defaults to one hour, every endpoint, read and replay, any framing origin', () => {
    expect(planPortalLink({}, limits)).toEqual({
      endpointIds: null,
      permissions: ['read', 'replay'],
      allowedOrigins: [],
      expiresAt: new Date('2026-12-02T19:00:00.000Z'),
    });
  });

  it('keeps the default within a shorter maximum', () => {
    expect(planPortalLink({}, { maxTtlSeconds: 600, now }).expiresAt).toEqual(
      new Date('2026-12-02T18:10:00.000Z'),
    );
  });

  it.each([59, 86_401, 0, -5])(
    'refuses expiresInSeconds %d with 400 naming the bounds',
    (expiresInSeconds) => {
      try {
        planPortalLink({ expiresInSeconds }, limits);
        throw new Error('accepted');
      } catch (error) {
        expect(error).toMatchObject({
          code: ErrorCode.ValidationFailed,
          message: 'expiresInSeconds must be between 60 and 86400',
          details: {
            fields: [{ field: 'expiresInSeconds', message: 'expiresInSeconds must be between 60 and 86400' }],
          },
        });
      }
    },
  );

  it('accepts the bounds themselves', () => {
    expect(planPortalLink({ expiresInSeconds: 60 }, limits).expiresAt).toEqual(
      new Date('2026-12-02T18:01:00.000Z'),
    );
    expect(planPortalLink({ expiresInSeconds: 86_400 }, limits).expiresAt).toEqual(
      new Date('2026-12-03T18:00:00.000Z'),
    );
  });

  it('always grants read, in a fixed order, and drops repeats', () => {
    expect(
      planPortalLink({ permissions: ['secrets.read', 'endpoints.write', 'secrets.read'] }, limits)
        .permissions,
    ).toEqual(['read', 'endpoints.write', 'secrets.read']);
    expect(planPortalLink({ permissions: [] }, limits).permissions).toEqual(['read']);
  });

  it('keeps each endpoint and origin once', () => {
    const id = '1f0c1a52-4e8b-4c7a-9a55-0b8c1d2e3f40';
    const plan = planPortalLink(
      {
        endpointIds: [id, id.toUpperCase()],
        allowedOrigins: ['https://a.example.com', 'https://a.example.com'],
      },
      limits,
    );
    expect(plan.endpointIds).toEqual([id]);
    expect(plan.allowedOrigins).toEqual(['https://a.example.com']);
  });
});

describe('portal link URL and refusals', () => {
  it('puts the token in the fragment, never the path or query', () => {
    expect(portalUrl('https://herald.example.com/', 'l1', 'hpl_abc')).toBe(
      'https://herald.example.com/console/portal?link=l1#token=hpl_abc',
    );
  });

  it('refuses a revoked link first, then an expired one', () => {
    const expired = new Date('2026-12-02T17:59:59.000Z');
    expect(portalLinkRefusal({ revokedAt: now, expiresAt: expired }, now)?.code).toBe(
      ErrorCode.PortalLinkRevoked,
    );
    expect(portalLinkRefusal({ revokedAt: null, expiresAt: expired }, now)?.code).toBe(
      ErrorCode.PortalLinkExpired,
    );
    expect(portalLinkRefusal({ revokedAt: null, expiresAt: now }, now)?.code).toBe(
      ErrorCode.PortalLinkExpired,
    );
    expect(portalLinkRefusal({ revokedAt: null, expiresAt: new Date(now.getTime() + 1) }, now)).toBeNull();
  });
});
