import type { SsoIdentity } from './sso-identity.js';

/** One mapping rule: when the identity matches, grant a team role and/or a global role. */
export interface GroupMappingRule {
  /** Match an IdP group (exact, case-sensitive: Entra uses object ids). */
  group?: string;
  /** Match an IdP role. */
  role?: string;
  /** Match the email domain (case-insensitive). */
  emailDomain?: string;
  /** Team to join, with `teamRole` (default `viewer`). */
  teamId?: string;
  teamRole?: string;
  /** Global role to grant (e.g. `platform_viewer`). */
  globalRole?: string;
  /** Make the user a platform admin. */
  admin?: boolean;
}

/** The access an identity earns. */
export interface MappedAccess {
  isAdmin: boolean;
  globalRoles: string[];
  /** One entry per team, with the strongest role any rule granted there. */
  teams: Array<{ teamId: string; role: string }>;
}

// Stronger roles win when several rules grant roles in one team.
const RANK: Record<string, number> = { viewer: 1, developer: 2, team_admin: 3 };

/**
 * Maps an SSO identity to gateway access with declarative rules (ContextForge: SSO_*_ADMIN_GROUPS,
 * SSO_AUTO_ADMIN_DOMAINS, Keycloak/Entra role mapping). A rule matches when every condition it states
 * holds; rules with no condition never match. Unverified emails never match domain rules.
 */
export function mapSsoIdentity(identity: SsoIdentity, rules: readonly GroupMappingRule[]): MappedAccess {
  const groups = new Set(identity.groups);
  const roles = new Set(identity.roles);
  const domain = identity.email.split('@')[1]?.toLowerCase();
  const out: MappedAccess = { isAdmin: false, globalRoles: [], teams: [] };
  const teams = new Map<string, string>();
  for (const r of rules) {
    if (r.group === undefined && r.role === undefined && r.emailDomain === undefined) continue;
    if (r.group !== undefined && !groups.has(r.group)) continue;
    if (r.role !== undefined && !roles.has(r.role)) continue;
    if (r.emailDomain !== undefined && !(identity.emailVerified && domain === r.emailDomain.toLowerCase()))
      continue;
    if (r.admin) out.isAdmin = true;
    if (r.globalRole && !out.globalRoles.includes(r.globalRole)) out.globalRoles.push(r.globalRole);
    if (r.teamId) {
      const role = r.teamRole ?? 'viewer';
      const prev = teams.get(r.teamId);
      if (!prev || (RANK[role] ?? 0) > (RANK[prev] ?? 0)) teams.set(r.teamId, role);
    }
  }
  out.teams = [...teams].map(([teamId, role]) => ({ teamId, role }));
  return out;
}
