import { DomainError, ErrorCode } from '@herald/contracts';
import type { WorkspaceRole } from '@herald/persistence';

/** What a route needs. `operator` routes accept only the operator token. */
export type Permission =
  | 'read'
  | 'endpoints.write'
  | 'secrets.read'
  | 'replay'
  | 'keys.manage'
  | 'egress.manage'
  | 'data.purge'
  | 'operator';

const GRANTS: Record<WorkspaceRole, readonly Permission[]> = {
  // Erasing stored payloads cannot be undone, so it takes the roles that manage keys.
  owner: ['read', 'endpoints.write', 'secrets.read', 'replay', 'keys.manage', 'egress.manage', 'data.purge'],
  admin: ['read', 'endpoints.write', 'secrets.read', 'replay', 'keys.manage', 'egress.manage', 'data.purge'],
  developer: ['read', 'endpoints.write', 'secrets.read', 'replay'],
  viewer: ['read'],
};

/** The permissions a role grants, as GET /v1/me lists them. */
export function permissionsOf(role: WorkspaceRole | 'operator'): Permission[] {
  return role === 'operator' ? [...GRANTS.owner] : [...GRANTS[role]];
}

export function roleAllows(role: WorkspaceRole, permission: Permission): boolean {
  return GRANTS[role].includes(permission);
}

/** Higher outranks lower; admin and owner share their grants but not their rank. */
const RANK: Record<WorkspaceRole, number> = { owner: 4, admin: 3, developer: 2, viewer: 1 };

/** Who acts on a key: a workspace key's role, or the operator token, which outranks every role. */
export type KeyActor = WorkspaceRole | 'operator';

/**
 * Whether `actor` may create, revoke or otherwise change a key of role `target`: only a key of the
 * same or a lower rank, so an admin can neither mint an owner key nor take an owner's away.
 */
export function mayManageKeyOf(actor: KeyActor, target: WorkspaceRole): boolean {
  return actor === 'operator' || RANK[actor] >= RANK[target];
}

/** The refusal for `mayManageKeyOf(actor, target) === false`, or null when it is allowed. */
export function keyManagementRefusal(
  actor: KeyActor,
  target: WorkspaceRole,
  action: 'create' | 'revoke',
): DomainError | null {
  if (mayManageKeyOf(actor, target)) return null;
  const article = /^[aeiou]/.test(target) ? 'an' : 'a';
  const what = action === 'create' ? `create ${target} keys` : `revoke ${article} ${target}'s key`;
  return new DomainError(
    ErrorCode.RoleOutranked,
    `the ${actor} role cannot ${what}; ${target} outranks ${actor}`,
  );
}
