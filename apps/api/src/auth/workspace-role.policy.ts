import type { WorkspaceRole } from '@herald/persistence';

/** What a route needs. `operator` routes accept only the operator token. */
export type Permission = 'read' | 'endpoints.write' | 'secrets.read' | 'replay' | 'keys.manage' | 'operator';

const GRANTS: Record<WorkspaceRole, readonly Permission[]> = {
  owner: ['read', 'endpoints.write', 'secrets.read', 'replay', 'keys.manage'],
  admin: ['read', 'endpoints.write', 'secrets.read', 'replay', 'keys.manage'],
  developer: ['read', 'endpoints.write', 'secrets.read', 'replay'],
  viewer: ['read'],
};

export function roleAllows(role: WorkspaceRole, permission: Permission): boolean {
  return GRANTS[role].includes(permission);
}
