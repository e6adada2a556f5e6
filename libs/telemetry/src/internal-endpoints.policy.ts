import { createHash, timingSafeEqual } from 'node:crypto';
import type { PublicAccess } from './internal-endpoints.env';

export interface InternalExposure {
  publicAccess: PublicAccess;
  adminToken?: string;
}

export interface InternalRequest {
  path: string;
  /** Arrived on HERALD_INTERNAL_PORT rather than the public port. */
  onInternalPort: boolean;
  authorization?: string;
}

export type InternalAccessDecision =
  { serve: true; readinessDetails: boolean } | { serve: false; status: 401 | 404; message: string };

/** /metrics, /docs and what Swagger serves beside it (/docs/*, /docs-json, /docs-yaml). */
export function isInternalPath(path: string): boolean {
  return path === '/metrics' || /^\/docs(?:$|[/-])/.test(path);
}

const isHealthPath = (path: string) => path === '/health' || path.startsWith('/health/');

function bearerIsAdmin(authorization: string | undefined, adminToken: string | undefined): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!match || !adminToken) return false;
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(match[1]), digest(adminToken));
}

/**
 * Who may see what: the internal port serves only internal paths and health, with readiness details;
 * the public port serves health to anyone (status only, details with the admin token), and
 * /metrics and /docs as HERALD_INTERNAL_ACCESS says. Everything else passes untouched.
 */
export function decideInternalAccess(
  request: InternalRequest,
  exposure: InternalExposure,
): InternalAccessDecision {
  const internal = isInternalPath(request.path);
  const health = isHealthPath(request.path);
  if (request.onInternalPort) {
    return internal || health
      ? { serve: true, readinessDetails: true }
      : { serve: false, status: 404, message: 'the internal port serves /metrics, /docs and /health only' };
  }
  const admin = bearerIsAdmin(request.authorization, exposure.adminToken);
  if (!internal) return { serve: true, readinessDetails: health && admin };
  switch (exposure.publicAccess) {
    case 'open':
      return { serve: true, readinessDetails: admin };
    case 'admin-token':
      return admin
        ? { serve: true, readinessDetails: true }
        : { serve: false, status: 401, message: 'this endpoint needs Authorization: Bearer <admin token>' };
    case 'off':
      return { serve: false, status: 404, message: 'this endpoint is served on the internal port only' };
  }
}
