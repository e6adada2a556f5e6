import { DomainError, ErrorCode } from '@herald/contracts';
import {
  DEFAULT_PORTAL_PERMISSIONS,
  PORTAL_PERMISSIONS,
  type PortalPermission,
} from '../../auth/portal-access.policy';

export const DEFAULT_PORTAL_TTL_SECONDS = 3600;
export const MIN_PORTAL_TTL_SECONDS = 60;

export interface PortalLinkRequest {
  endpointIds?: string[];
  expiresInSeconds?: number;
  permissions?: PortalPermission[];
  allowedOrigins?: string[];
}

export interface PortalLinkPlan {
  endpointIds: string[] | null;
  permissions: PortalPermission[];
  allowedOrigins: string[];
  expiresAt: Date;
}

/**
 * What a mint request becomes: the lifetime within [60s, max] (400 on expiresInSeconds otherwise),
 * permissions defaulting to read and replay with read always included (a portal shows data), in a
 * fixed order, and endpoint ids and origins without repeats.
 */
export function planPortalLink(
  request: PortalLinkRequest,
  limits: { maxTtlSeconds: number; now: Date },
): PortalLinkPlan {
  const ttl = request.expiresInSeconds ?? Math.min(DEFAULT_PORTAL_TTL_SECONDS, limits.maxTtlSeconds);
  if (ttl < MIN_PORTAL_TTL_SECONDS || ttl > limits.maxTtlSeconds) {
    const message = `expiresInSeconds must be between ${MIN_PORTAL_TTL_SECONDS} and ${limits.maxTtlSeconds}`;
    throw new DomainError(ErrorCode.ValidationFailed, message, {
      fields: [{ field: 'expiresInSeconds', message }],
    });
  }
  const asked = new Set<PortalPermission>(['read', ...(request.permissions ?? DEFAULT_PORTAL_PERMISSIONS)]);
  return {
    endpointIds: request.endpointIds ? [...new Set(request.endpointIds.map((id) => id.toLowerCase()))] : null,
    permissions: PORTAL_PERMISSIONS.filter((permission) => asked.has(permission)),
    allowedOrigins: [...new Set(request.allowedOrigins ?? [])],
    expiresAt: new Date(limits.now.getTime() + ttl * 1000),
  };
}

/** `<base>/console/portal?link=<id>#token=<token>`: the fragment never reaches a server or its logs. */
export function portalUrl(baseUrl: string, linkId: string, token: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/console/portal?link=${encodeURIComponent(linkId)}#token=${token}`;
}

/** Why a token no longer works, or null while it does. */
export function portalLinkRefusal(
  link: { revokedAt: Date | null; expiresAt: Date },
  now: Date,
): DomainError | null {
  if (link.revokedAt) return new DomainError(ErrorCode.PortalLinkRevoked, 'this portal link was revoked');
  if (link.expiresAt.getTime() <= now.getTime()) {
    return new DomainError(
      ErrorCode.PortalLinkExpired,
      `this portal link expired at ${link.expiresAt.toISOString()}`,
    );
  }
  return null;
}
