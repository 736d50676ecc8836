/**
 * ContextForge's permission strings (`Permissions` in mcpgateway/db.py), so roles and tokens carried over
 * from ContextForge mean the same here. `*` grants everything; `<resource>.*` grants every action on one
 * resource (an extension for custom roles).
 */
export const PERMISSIONS = Object.freeze({
  users: ['users.create', 'users.read', 'users.update', 'users.delete', 'users.invite'],
  teams: ['teams.create', 'teams.read', 'teams.update', 'teams.delete', 'teams.join', 'teams.manage_members'],
  tools: [
    'tools.create',
    'tools.read',
    'tools.update',
    'tools.delete',
    'tools.execute',
    'tools.preview',
    'tools.manage_plugins',
  ],
  plugins: ['plugins.read'],
  resources: [
    'resources.create',
    'resources.read',
    'resources.update',
    'resources.delete',
    'resources.share',
  ],
  gateways: ['gateways.create', 'gateways.read', 'gateways.update', 'gateways.delete'],
  prompts: ['prompts.create', 'prompts.read', 'prompts.update', 'prompts.delete', 'prompts.execute'],
  servers: [
    'servers.create',
    'servers.read',
    'servers.use',
    'servers.update',
    'servers.delete',
    'servers.manage',
  ],
  a2a: ['a2a.create', 'a2a.read', 'a2a.update', 'a2a.delete', 'a2a.invoke'],
  llm: ['llm.read', 'llm.invoke'],
  tokens: ['tokens.create', 'tokens.read', 'tokens.update', 'tokens.revoke'],
  tags: ['tags.create', 'tags.read', 'tags.update', 'tags.delete'],
  admin: [
    'admin.system_config',
    'admin.user_management',
    'admin.security_audit',
    'admin.compliance',
    'admin.overview',
    'admin.dashboard',
    'admin.events',
    'admin.grpc',
    'admin.plugins',
    'admin.metrics',
    'admin.export',
    'admin.import',
    'admin.sso_providers:create',
    'admin.sso_providers:read',
    'admin.sso_providers:update',
    'admin.sso_providers:delete',
    'admin.oauth_clients:read',
    'admin.oauth_clients:delete',
  ],
  observability: ['logs:read', 'metrics:read', 'audit:read', 'security:read'],
} as const);

/** Every concrete permission string. */
export const ALL_PERMISSIONS: readonly string[] = Object.freeze(Object.values(PERMISSIONS).flat());

/** The wildcard granting every permission. */
export const WILDCARD_PERMISSION = '*';

/** True for a known permission, `*`, or a `<resource>.*` wildcard over a known resource. */
export function isKnownPermission(p: string): boolean {
  if (p === WILDCARD_PERMISSION || ALL_PERMISSIONS.includes(p)) return true;
  return p.endsWith('.*') && ALL_PERMISSIONS.some((q) => q.startsWith(p.slice(0, -1)));
}
