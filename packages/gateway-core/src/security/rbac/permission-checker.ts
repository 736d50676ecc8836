import type { Principal } from '../authn/principal.js';
import { SecurityError } from '../errors.js';
import { BUILTIN_ROLES, type RoleDefinition } from './builtin-roles.js';
import { WILDCARD_PERMISSION } from './permissions.js';

/** Where an action happens: the owning team of the target entity, and the virtual server used. */
export interface PermissionContext {
  /** Team of the target entity; omit for platform-level or "any team" checks (lists, creation). */
  readonly teamId?: string | null;
  /** Virtual server the request goes through (checked against token restrictions). */
  readonly serverId?: string;
}

/** A compiled role → permission map. Build once (and again when custom roles change). */
export interface RoleMap {
  readonly roles: ReadonlyMap<
    string,
    { readonly scope: 'global' | 'team'; readonly grants: ReadonlySet<string> }
  >;
}

/** Compiles role definitions (default: the built-in five) into a {@link RoleMap}. */
export function compileRoleMap(roles: Iterable<RoleDefinition> = Object.values(BUILTIN_ROLES)): RoleMap {
  const map = new Map<string, { scope: 'global' | 'team'; grants: ReadonlySet<string> }>();
  for (const r of roles) map.set(r.name, { scope: r.scope, grants: new Set(r.permissions) });
  return { roles: map };
}

function grants(set: ReadonlySet<string>, permission: string): boolean {
  if (set.has(permission) || set.has(WILDCARD_PERMISSION)) return true;
  const dot = permission.indexOf('.');
  return dot > 0 && set.has(`${permission.slice(0, dot)}.*`);
}

function listGrants(list: readonly string[], permission: string): boolean {
  for (const p of list) {
    if (p === permission || p === WILDCARD_PERMISSION) return true;
    if (p.endsWith('.*') && permission.startsWith(p.slice(0, -1))) return true;
  }
  return false;
}

/** Why {@link checkPermission} decided as it did. */
export type PermissionDecision =
  | { readonly allowed: true; readonly via: 'admin' | 'global-role' | 'team-role' }
  | { readonly allowed: false; readonly reason: 'token-permission' | 'token-server' | 'no-role' };

/**
 * The RBAC decision, as a pure function of its inputs (no I/O; microseconds):
 * 1. credential restrictions first — a token limited to some permissions or servers can never exceed
 *    them, even for an admin;
 * 2. `isAdmin` (platform admin) → allowed;
 * 3. a global role granting the permission → allowed;
 * 4. a team role granting it in `ctx.teamId` (or in any team when no team is given) → allowed.
 * Visibility (which entities the caller sees) is the other, separate layer.
 */
export function checkPermission(
  map: RoleMap,
  principal: Principal,
  permission: string,
  ctx: PermissionContext = {},
): PermissionDecision {
  const r = principal.restrictions;
  if (r) {
    if (r.permissions && r.permissions.length > 0 && !listGrants(r.permissions, permission)) {
      return { allowed: false, reason: 'token-permission' };
    }
    if (ctx.serverId !== undefined && r.serverIds && !r.serverIds.includes(ctx.serverId)) {
      return { allowed: false, reason: 'token-server' };
    }
  }
  if (principal.isAdmin) return { allowed: true, via: 'admin' };
  const team = ctx.teamId ?? undefined;
  let teamHit = false;
  for (const a of principal.roles) {
    const role = map.roles.get(a.role);
    if (!role || !grants(role.grants, permission)) continue;
    if (role.scope === 'global' && a.teamId === null) return { allowed: true, via: 'global-role' };
    if (role.scope === 'team' && (team === undefined || a.teamId === team)) teamHit = true;
  }
  return teamHit ? { allowed: true, via: 'team-role' } : { allowed: false, reason: 'no-role' };
}

/**
 * Throws unless {@link checkPermission} allows.
 * @throws SecurityError `SCOPE_DENIED` (token restrictions) or `FORBIDDEN` (roles), both 403, naming the permission.
 */
export function assertPermission(
  map: RoleMap,
  principal: Principal,
  permission: string,
  ctx: PermissionContext = {},
): void {
  const d = checkPermission(map, principal, permission, ctx);
  if (d.allowed) return;
  if (d.reason === 'no-role') {
    throw new SecurityError('FORBIDDEN', `permission '${permission}' required`, { details: { permission } });
  }
  const what = d.reason === 'token-server' ? `server '${ctx.serverId}'` : `permission '${permission}'`;
  throw new SecurityError('SCOPE_DENIED', `token scope does not include ${what}`, {
    details: { permission, reason: d.reason },
  });
}
