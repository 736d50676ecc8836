/** A role: a named set of permissions, global or team-scoped. */
export interface RoleDefinition {
  readonly name: string;
  readonly scope: 'global' | 'team';
  readonly permissions: readonly string[];
  readonly description: string;
}

const READ_BASE = [
  'admin.dashboard',
  'admin.overview',
  'gateways.read',
  'servers.read',
  'servers.use',
  'teams.read',
  'teams.join',
  'tools.read',
  'resources.read',
  'prompts.read',
  'llm.read',
  'a2a.read',
  'tokens.create',
  'tokens.read',
  'tokens.update',
  'tokens.revoke',
] as const;

const AUTHORING = ['gateways', 'servers', 'tools', 'resources', 'prompts', 'a2a'].flatMap((r) => [
  `${r}.create`,
  `${r}.update`,
  `${r}.delete`,
]);

/**
 * The five built-in roles with ContextForge's permission sets (bootstrap_db.py, 1.0.x), including the
 * later grants of `tools.execute` to `viewer` (#3881) and `metrics:read` to `platform_viewer`.
 */
export const BUILTIN_ROLES: Readonly<Record<string, RoleDefinition>> = Object.freeze({
  platform_admin: {
    name: 'platform_admin',
    scope: 'global',
    permissions: ['*'],
    description: 'Platform administrator with all permissions',
  },
  team_admin: {
    name: 'team_admin',
    scope: 'team',
    permissions: [
      ...READ_BASE,
      'teams.update',
      'teams.delete',
      'teams.manage_members',
      'plugins.read',
      'tools.execute',
      'llm.invoke',
      'a2a.invoke',
      'tools.manage_plugins',
      ...AUTHORING,
    ],
    description: 'Team administrator with team management permissions',
  },
  developer: {
    name: 'developer',
    scope: 'team',
    permissions: [...READ_BASE, 'plugins.read', 'tools.execute', 'llm.invoke', 'a2a.invoke', ...AUTHORING],
    description: 'Developer with tool and resource access',
  },
  viewer: {
    name: 'viewer',
    scope: 'team',
    permissions: [...READ_BASE, 'tools.execute'],
    description: 'Read access and tool execution within team scope',
  },
  platform_viewer: {
    name: 'platform_viewer',
    scope: 'global',
    permissions: [...READ_BASE, 'metrics:read'],
    description: 'Read-only access to resources and admin UI',
  },
});
