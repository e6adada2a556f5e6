import { ErrorCode } from '@herald/contracts';
import type { WorkspaceRole } from '@herald/persistence';
import {
  keyManagementRefusal,
  mayManageKeyOf,
  roleAllows,
  type KeyActor,
  type Permission,
} from './workspace-role.policy';

describe('workspace roles', () => {
  const table: [string, Permission, boolean][] = [
    ['owner', 'keys.manage', true],
    ['admin', 'keys.manage', true],
    ['developer', 'keys.manage', false],
    ['developer', 'endpoints.write', true],
    ['developer', 'secrets.read', true],
    ['developer', 'replay', true],
    ['viewer', 'read', true],
    ['viewer', 'secrets.read', false],
    ['viewer', 'endpoints.write', false],
    ['viewer', 'replay', false],
    ['owner', 'operator', false],
    ['owner', 'data.purge', true],
    ['admin', 'data.purge', true],
    ['developer', 'data.purge', false],
    ['viewer', 'data.purge', false],
  ];
  it.each(table)('%s may %s: %s', (role, permission, allowed) => {
    expect(roleAllows(role as never, permission)).toBe(allowed);
  });
});

describe('who may create or revoke a key of which role', () => {
  // Every actor against every target role: the same or a lower rank only.
  const pairs: [KeyActor, WorkspaceRole, boolean][] = [
    ['operator', 'owner', true],
    ['operator', 'admin', true],
    ['operator', 'developer', true],
    ['operator', 'viewer', true],
    ['owner', 'owner', true],
    ['owner', 'admin', true],
    ['owner', 'developer', true],
    ['owner', 'viewer', true],
    ['admin', 'owner', false],
    ['admin', 'admin', true],
    ['admin', 'developer', true],
    ['admin', 'viewer', true],
    ['developer', 'owner', false],
    ['developer', 'admin', false],
    ['developer', 'developer', true],
    ['developer', 'viewer', true],
    ['viewer', 'owner', false],
    ['viewer', 'admin', false],
    ['viewer', 'developer', false],
    ['viewer', 'viewer', true],
  ];
  it.each(pairs)('%s acting on a %s key: %s', (actor, target, allowed) => {
    expect(mayManageKeyOf(actor, target)).toBe(allowed);
    for (const action of ['create', 'revoke'] as const) {
      const refusal = keyManagementRefusal(actor, target, action);
      expect(refusal === null).toBe(allowed);
      if (refusal) expect(refusal.code).toBe(ErrorCode.RoleOutranked);
    }
  });

  it('says which rank is missing', () => {
    expect(keyManagementRefusal('admin', 'owner', 'create')?.message).toBe(
      'the admin role cannot create owner keys; owner outranks admin',
    );
    expect(keyManagementRefusal('admin', 'owner', 'revoke')?.message).toBe(
      "the admin role cannot revoke an owner's key; owner outranks admin",
    );
  });
});
