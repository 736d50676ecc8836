import { ANONYMOUS_PRINCIPAL, type Principal } from '../../security/authn/principal.js';
import { BUILTIN_ROLES, type RoleDefinition } from '../../security/rbac/builtin-roles.js';
import { compileRoleMap, type RoleMap } from '../../security/rbac/permission-checker.js';
import type { RoleStore } from '../stores/role-store.js';

/** Internal role of anonymous callers when AUTH_REQUIRED=false (never stored, never assignable). */
export const ANONYMOUS_ROLE = 'anonymous';

/** What an anonymous caller may do when AUTH_REQUIRED=false: read and use PUBLIC entities. */
export const ANONYMOUS_PERMISSIONS: readonly string[] = Object.freeze([
  'gateways.read',
  'servers.read',
  'servers.use',
  'tools.read',
  'tools.execute',
  'resources.read',
  'prompts.read',
  'prompts.execute',
  'tags.read',
]);

/** The principal of callers without credentials when AUTH_REQUIRED=false: public entities, read and use only. */
export const ANONYMOUS_DEV_PRINCIPAL: Principal = Object.freeze({
  ...ANONYMOUS_PRINCIPAL,
  roles: Object.freeze([Object.freeze({ role: ANONYMOUS_ROLE, teamId: null })]),
});

/**
 * The role → permission map in force: the five built-in roles (always as shipped), the custom roles from
 * the database, and the internal anonymous role. `reload()` after a custom role changed (on every replica:
 * the auth bus carries the `roles` invalidation).
 */
export class RoleCatalog {
  #map: RoleMap = compile([]);

  constructor(private readonly store: RoleStore) {}

  /** The current map (swap-on-reload, so readers never see a half-built one). */
  get map(): RoleMap {
    return this.#map;
  }

  /** Re-reads the custom roles. */
  async reload(): Promise<void> {
    const custom = (await this.store.list()).filter((r) => !r.isSystemRole);
    this.#map = compile(custom);
  }
}

function compile(custom: readonly RoleDefinition[]): RoleMap {
  return compileRoleMap([
    ...Object.values(BUILTIN_ROLES),
    ...custom.filter((r) => !(r.name in BUILTIN_ROLES) && r.name !== ANONYMOUS_ROLE),
    { name: ANONYMOUS_ROLE, scope: 'global', permissions: ANONYMOUS_PERMISSIONS, description: '' },
  ]);
}
