import type { WorkspaceRole } from '@herald/persistence';
import type { PortalPermission } from './portal-access.policy';

/** Looks a portal page may take on (portal link's branding). */
export interface PortalBranding {
  name?: string;
  primaryColor?: string;
  logoUrl?: string;
}

/**
 * Who is calling: the operator token, one workspace's API key, or a portal link (a bearer credential
 * for one workspace's endpoints, minted by POST /v1/workspaces/:ws/portal-links).
 */
export type Principal =
  | { kind: 'operator' }
  | { kind: 'api-key'; keyId: string; workspaceId: string; role: WorkspaceRole }
  | PortalPrincipal;

export interface PortalPrincipal {
  kind: 'portal';
  linkId: string;
  workspaceId: string;
  /** null: every endpoint of the workspace. */
  endpointIds: string[] | null;
  permissions: PortalPermission[];
  branding: PortalBranding;
  expiresAt: Date;
}

export const PRINCIPAL = 'heraldPrincipal';

/** The rank a principal acts with on API keys (see mayManageKeyOf); portal links never reach key routes. */
export function keyActorOf(principal: Principal): WorkspaceRole | 'operator' {
  if (principal.kind === 'portal') throw new Error('a portal link never manages API keys');
  return principal.kind === 'operator' ? 'operator' : principal.role;
}

/** Endpoints the principal may see: null for every endpoint of its workspace. */
export function endpointScopeOf(principal: Principal): string[] | null {
  return principal.kind === 'portal' ? principal.endpointIds : null;
}
