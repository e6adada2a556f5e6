import { DomainError, ErrorCode } from '@herald/contracts';

/** What a portal link may be granted; never keys, egress, purges, retention or operator rights. */
export type PortalPermission = 'read' | 'endpoints.write' | 'replay' | 'secrets.read';
export const PORTAL_PERMISSIONS: readonly PortalPermission[] = [
  'read',
  'endpoints.write',
  'replay',
  'secrets.read',
];
export const DEFAULT_PORTAL_PERMISSIONS: readonly PortalPermission[] = ['read', 'replay'];

/** How a route's data is narrowed to the link's endpoints. */
export type PortalScope =
  /** Nothing endpoint-scoped (who am I, the event catalogue). */
  | 'none'
  /** A list: the use case keeps only the link's endpoints. */
  | 'list'
  /** `:id` names an endpoint, which must be one of the link's. */
  | 'endpoint-param'
  /** The body's `id` names an endpoint, which must be one of the link's. */
  | 'endpoint-body'
  /** `:id` names a delivery, whose endpoint must be one of the link's. */
  | 'delivery-param'
  /** `:jobId` names a job, whose endpoint must be one of the link's (purge jobs have none). */
  | 'job-param'
  /** Creates an endpoint: only a link to every endpoint of the workspace would see it. */
  | 'all-endpoints';

export type PortalRouteRule =
  | { allowed: true; scope: PortalScope; needs: readonly PortalPermission[] }
  | { allowed: false; reason: string };

const allow = (scope: PortalScope, ...needs: PortalPermission[]): PortalRouteRule => ({
  allowed: true,
  scope,
  needs,
});
const deny = (reason: string): PortalRouteRule => ({ allowed: false, reason });

const WS = '/v1/workspaces/:ws';
const EP = `${WS}/endpoints/:id`;

/**
 * Every route of the API and what a portal link may do on it, keyed by method and route path as the
 * router names it. A route missing here is refused (see portalRouteRule), so a new route is closed to
 * portal links until someone decides otherwise; portal-access.policy.spec.ts fails on unlisted routes.
 * Routes that answer with a signing secret need secrets.read besides the permission the route names.
 */
export const PORTAL_ROUTES: Readonly<Record<string, PortalRouteRule>> = {
  'GET /v1/me': allow('none'),
  'GET /v1/event-types': allow('none', 'read'),
  'GET /v1/workspaces': deny('listing workspaces is for the operator'),
  'POST /v1/workspaces': deny('creating workspaces is for the operator'),
  'GET /v1/system': deny('the system view is for the operator'),
  [`GET ${WS}`]: deny('workspace settings are not part of the portal'),
  [`POST ${WS}/api-keys`]: deny('portal links never manage API keys'),
  [`GET ${WS}/api-keys`]: deny('portal links never manage API keys'),
  [`DELETE ${WS}/api-keys/:keyId`]: deny('portal links never manage API keys'),
  [`POST ${WS}/portal-links`]: deny('portal links never mint portal links'),
  [`GET ${WS}/portal-links`]: deny('portal links never manage portal links'),
  [`DELETE ${WS}/portal-links/:linkId`]: deny('portal links never manage portal links'),
  [`GET ${WS}/egress-allowlist`]: deny('the egress allowlist is not part of the portal'),
  [`PUT ${WS}/egress-allowlist`]: deny('the egress allowlist is not part of the portal'),
  [`GET ${WS}/retention`]: deny('retention is not part of the portal'),
  [`PUT ${WS}/retention`]: deny('retention is not part of the portal'),
  [`POST ${WS}/purges`]: deny('purges are not part of the portal'),
  [`PUT ${WS}/registrations`]: deny('registration by URL is for API keys'),
  [`DELETE ${WS}/registrations`]: deny('registration by URL is for API keys'),
  [`POST ${WS}/endpoints`]: allow('all-endpoints', 'endpoints.write', 'secrets.read'),
  [`GET ${WS}/endpoints`]: allow('list', 'read'),
  [`DELETE ${WS}/endpoints`]: allow('endpoint-body', 'endpoints.write'),
  [`GET ${WS}/endpoints/health`]: allow('list', 'read'),
  [`GET ${EP}`]: allow('endpoint-param', 'read'),
  [`PATCH ${EP}`]: allow('endpoint-param', 'endpoints.write'),
  [`DELETE ${EP}`]: allow('endpoint-param', 'endpoints.write'),
  [`GET ${EP}/health`]: allow('endpoint-param', 'read'),
  [`POST ${EP}/test`]: allow('endpoint-param', 'endpoints.write'),
  [`GET ${EP}/secret`]: allow('endpoint-param', 'secrets.read'),
  [`POST ${EP}/secret/rotate`]: allow('endpoint-param', 'endpoints.write', 'secrets.read'),
  [`POST ${EP}/recover`]: allow('endpoint-param', 'replay'),
  [`POST ${EP}/backfill`]: allow('endpoint-param', 'replay'),
  [`GET ${EP}/operational-events`]: allow('endpoint-param', 'read'),
  [`GET ${WS}/deliveries`]: allow('list', 'read'),
  [`GET ${WS}/deliveries/:id`]: allow('delivery-param', 'read'),
  [`POST ${WS}/deliveries/:id/retry`]: allow('delivery-param', 'replay'),
  [`GET ${WS}/events/:eventId/deliveries`]: allow('list', 'read'),
  [`GET ${WS}/jobs`]: allow('list', 'read'),
  [`GET ${WS}/jobs/:jobId`]: allow('job-param', 'read'),
  [`POST ${WS}/jobs/:jobId/cancel`]: allow('job-param', 'replay'),
};

/** The rule of one route; an unknown route is refused. */
export function portalRouteRule(method: string, routePath: string): PortalRouteRule {
  return (
    PORTAL_ROUTES[`${method.toUpperCase()} ${routePath}`] ?? deny('this route is not open to portal links')
  );
}

export interface PortalGrant {
  endpointIds: readonly string[] | null;
  permissions: readonly PortalPermission[];
}

/**
 * Whether the link may call the route at all (before any endpoint is looked at): 403 for a refused
 * route, a missing permission, or creating an endpoint through a link limited to some endpoints.
 */
export function portalRouteRefusal(rule: PortalRouteRule, grant: PortalGrant): DomainError | null {
  if (!rule.allowed)
    return new DomainError(ErrorCode.Forbidden, `a portal link cannot do this: ${rule.reason}`);
  const missing = rule.needs.filter((permission) => !grant.permissions.includes(permission));
  if (missing.length > 0) {
    return new DomainError(
      ErrorCode.Forbidden,
      `this portal link lacks the ${missing.join(' and ')} permission`,
    );
  }
  if (rule.scope === 'all-endpoints' && grant.endpointIds !== null) {
    return new DomainError(
      ErrorCode.Forbidden,
      'this portal link is limited to some endpoints, so it cannot create endpoints',
    );
  }
  return null;
}

/** An endpoint outside the link is answered like one that does not exist, so links cannot probe ids. */
export function endpointVisible(grant: PortalGrant, endpointId: string | null | undefined): boolean {
  if (grant.endpointIds === null) return true;
  return typeof endpointId === 'string' && grant.endpointIds.includes(endpointId);
}
