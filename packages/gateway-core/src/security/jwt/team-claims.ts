import type { TeamScope, TokenRestrictions } from '../authn/principal.js';

const PUBLIC_ONLY: TeamScope = Object.freeze({ kind: 'public-only' });
const ADMIN_BYPASS: TeamScope = Object.freeze({ kind: 'admin-bypass' });

/**
 * Interprets ContextForge's `teams` claim (reference §1.9):
 * - key missing or `[]` → public-only;
 * - `null` with `is_admin: true` → admin bypass (sees everything);
 * - `null` without admin → public-only (secure default, never a bypass);
 * - a list → those teams plus public. Entries may be team ids or `{ id }` objects (ContextForge session
 *   tokens embed team objects); anything else is ignored.
 *
 * @param claims verified JWT payload
 */
export function teamScopeFromClaims(claims: Readonly<Record<string, unknown>>): TeamScope {
  if (!Object.hasOwn(claims, 'teams')) return PUBLIC_ONLY;
  const teams = claims.teams;
  if (teams === null) return isAdminClaim(claims) ? ADMIN_BYPASS : PUBLIC_ONLY;
  if (!Array.isArray(teams)) return PUBLIC_ONLY;
  const ids: string[] = [];
  for (const t of teams) {
    if (typeof t === 'string' && t !== '') ids.push(t);
    else if (t && typeof t === 'object' && typeof (t as { id?: unknown }).id === 'string')
      ids.push((t as { id: string }).id);
  }
  return ids.length === 0 ? PUBLIC_ONLY : Object.freeze({ kind: 'teams', teamIds: Object.freeze(ids) });
}

/** True when the claims mark a platform admin (`is_admin: true`, or ContextForge's nested `user.is_admin`). */
export function isAdminClaim(claims: Readonly<Record<string, unknown>>): boolean {
  if (claims.is_admin === true) return true;
  const user = claims.user;
  return !!user && typeof user === 'object' && (user as { is_admin?: unknown }).is_admin === true;
}

/**
 * Reads the `scopes` claim (`{ server_id, permissions }`, as ContextForge's token CLI writes it) into
 * credential restrictions; `undefined` when the token carries none.
 */
export function restrictionsFromClaims(
  claims: Readonly<Record<string, unknown>>,
): TokenRestrictions | undefined {
  const scopes = claims.scopes;
  if (!scopes || typeof scopes !== 'object' || Array.isArray(scopes)) return undefined;
  const s = scopes as { server_id?: unknown; permissions?: unknown };
  const serverIds =
    typeof s.server_id === 'string' && s.server_id !== ''
      ? [s.server_id]
      : Array.isArray(s.server_id)
        ? s.server_id.filter((x): x is string => typeof x === 'string')
        : null;
  const permissions = Array.isArray(s.permissions)
    ? s.permissions.filter((x): x is string => typeof x === 'string')
    : [];
  if (serverIds === null && permissions.length === 0) return undefined;
  return Object.freeze({ serverIds, permissions });
}
