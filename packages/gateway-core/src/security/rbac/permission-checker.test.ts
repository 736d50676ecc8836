import { describe, expect, it } from 'vitest';
import type { Principal } from '../authn/principal.js';
import { BUILTIN_ROLES } from './builtin-roles.js';
import { assertPermission, checkPermission, compileRoleMap } from './permission-checker.js';
import { ALL_PERMISSIONS, isKnownPermission } from './permissions.js';

const map = compileRoleMap();
const user = (roles: Principal['roles'], extra: Partial<Principal> = {}): Principal => ({
  subject: 'u@x',
  authMethod: 'jwt',
  isAdmin: false,
  teams: { kind: 'public-only' },
  roles,
  ...extra,
});

describe('built-in roles', () => {
  it('use only known ContextForge permission strings', () => {
    for (const role of Object.values(BUILTIN_ROLES))
      for (const p of role.permissions) expect(isKnownPermission(p), p).toBe(true);
    expect(ALL_PERMISSIONS).toContain('admin.sso_providers:create');
  });

  it.each([
    ['platform_admin', null, 'admin.system_config', true],
    ['platform_viewer', null, 'tools.read', true],
    ['platform_viewer', null, 'tools.execute', false],
    ['platform_viewer', null, 'metrics:read', true],
    ['team_admin', 't1', 'teams.manage_members', true],
    ['developer', 't1', 'teams.manage_members', false],
    ['developer', 't1', 'tools.create', true],
    ['viewer', 't1', 'tools.execute', true],
    ['viewer', 't1', 'tools.create', false],
    ['viewer', 't1', 'admin.system_config', false],
  ] as const)('%s (team %s) → %s is %s', (role, teamId, permission, allowed) => {
    expect(
      checkPermission(map, user([{ role, teamId }]), permission, { teamId: teamId ?? undefined }).allowed,
    ).toBe(allowed);
  });
});

describe('checkPermission', () => {
  it('scopes team roles to their team, unless no team is given', () => {
    const p = user([{ role: 'developer', teamId: 't1' }]);
    expect(checkPermission(map, p, 'tools.create', { teamId: 't1' })).toEqual({
      allowed: true,
      via: 'team-role',
    });
    expect(checkPermission(map, p, 'tools.create', { teamId: 't2' })).toEqual({
      allowed: false,
      reason: 'no-role',
    });
    expect(checkPermission(map, p, 'tools.create')).toEqual({ allowed: true, via: 'team-role' });
  });

  it('ignores a global role assigned with a team and unknown roles', () => {
    expect(checkPermission(map, user([{ role: 'platform_admin', teamId: 't1' }]), 'tools.read').allowed).toBe(
      false,
    );
    expect(checkPermission(map, user([{ role: 'ghost', teamId: null }]), 'tools.read').allowed).toBe(false);
  });

  it('lets admins through but never past their token restrictions', () => {
    const admin = user([], { isAdmin: true });
    expect(checkPermission(map, admin, 'anything.at_all')).toEqual({ allowed: true, via: 'admin' });
    const scoped = user([], { isAdmin: true, restrictions: { serverIds: ['s1'], permissions: ['tools.*'] } });
    expect(checkPermission(map, scoped, 'tools.execute', { serverId: 's1' }).allowed).toBe(true);
    expect(checkPermission(map, scoped, 'tools.execute', { serverId: 's2' })).toEqual({
      allowed: false,
      reason: 'token-server',
    });
    expect(checkPermission(map, scoped, 'gateways.create')).toEqual({
      allowed: false,
      reason: 'token-permission',
    });
  });

  it('supports custom roles with resource wildcards', () => {
    const custom = compileRoleMap([
      { name: 'auditor', scope: 'global', permissions: ['admin.*', 'audit:read'], description: '' },
    ]);
    const p = user([{ role: 'auditor', teamId: null }]);
    expect(checkPermission(custom, p, 'admin.security_audit').allowed).toBe(true);
    expect(checkPermission(custom, p, 'audit:read').allowed).toBe(true);
    expect(checkPermission(custom, p, 'tools.read').allowed).toBe(false);
  });

  it('assertPermission throws 403s naming the permission', () => {
    expect(() => assertPermission(map, user([]), 'tools.read')).toThrow("permission 'tools.read' required");
    const scoped = user([{ role: 'platform_admin', teamId: null }], { restrictions: { serverIds: ['s1'] } });
    expect(() => assertPermission(map, scoped, 'tools.execute', { serverId: 's9' })).toThrow(
      "token scope does not include server 's9'",
    );
  });
});
