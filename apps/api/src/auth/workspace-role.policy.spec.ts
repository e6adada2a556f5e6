import { roleAllows, type Permission } from './workspace-role.policy';

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
  ];
  it.each(table)('%s may %s: %s', (role, permission, allowed) => {
    expect(roleAllows(role as never, permission)).toBe(allowed);
  });
});
