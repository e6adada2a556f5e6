import type { WorkspaceRole } from '@herald/persistence';

/** Who is calling: the operator token, or one workspace's API key. */
export type Principal =
  { kind: 'operator' } | { kind: 'api-key'; keyId: string; workspaceId: string; role: WorkspaceRole };

export const PRINCIPAL = 'heraldPrincipal';

/** The rank a principal acts with on API keys (see mayManageKeyOf). */
export function keyActorOf(principal: Principal): WorkspaceRole | 'operator' {
  return principal.kind === 'operator' ? 'operator' : principal.role;
}
