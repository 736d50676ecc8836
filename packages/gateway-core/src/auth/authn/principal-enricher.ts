import type { Principal, RoleAssignment, TeamScope } from '../../security/authn/principal.js';
import { SecurityError } from '../../security/errors.js';
import type { RoleStore } from '../stores/role-store.js';
import type { SsoStore } from '../stores/sso-store.js';
import type { TeamStore } from '../stores/team-store.js';
import type { UserStore } from '../stores/user-store.js';

/** Options of {@link PrincipalEnricher}. */
export interface PrincipalEnricherOptions {
  users: UserStore;
  teams: TeamStore;
  roles: RoleStore;
  sso: SsoStore;
  /** RBAC role of team owners [DEFAULT_TEAM_OWNER_ROLE]. */
  ownerRole: string;
  /** RBAC role of team members [DEFAULT_TEAM_MEMBER_ROLE]. */
  memberRole: string;
  /** Provider id of an external issuer (for `sso` principals: issuer → provider). */
  providerOfIssuer: (issuer: string) => string | undefined;
}

const ADMIN_BYPASS: TeamScope = Object.freeze({ kind: 'admin-bypass' });
const PUBLIC_ONLY: TeamScope = Object.freeze({ kind: 'public-only' });

function teamsScope(ids: readonly string[]): TeamScope {
  return ids.length === 0 ? PUBLIC_ONLY : Object.freeze({ kind: 'teams', teamIds: Object.freeze([...ids]) });
}

/**
 * Completes a verified principal from the database (the resolver's `enrich` hook, run on cache misses):
 * the user must exist and be active (unless a JWT names a subject that is not a user, e.g. a service token
 * minted with `contextforge token create`); RBAC roles come from role grants plus team memberships
 * (owner/member mapped to the configured team roles); the team scope follows ContextForge — the database
 * is authoritative for session tokens and team-less API tokens, a `teams` claim only narrows, and
 * administrators without a team restriction see everything.
 */
export class PrincipalEnricher {
  constructor(private readonly o: PrincipalEnricherOptions) {}

  /** @throws SecurityError UNAUTHENTICATED for unknown, deactivated or unlinked users */
  async enrich(principal: Principal): Promise<Principal> {
    let email = principal.email ?? (principal.subject.includes('@') ? principal.subject : undefined);
    if (principal.authMethod === 'sso') {
      const issuer = typeof principal.claims?.iss === 'string' ? principal.claims.iss : '';
      const provider = this.o.providerOfIssuer(issuer);
      email = provider ? await this.o.sso.userOf(provider, principal.subject) : undefined;
      if (!email)
        throw new SecurityError('UNAUTHENTICATED', 'this identity has not signed in to the gateway yet');
    }
    const user = email ? await this.o.users.find(email.toLowerCase()) : undefined;
    if (!user) {
      // Only a JWT signed with the gateway's own key may name a subject that is not a user (service tokens).
      if (principal.authMethod === 'jwt' && principal.claims?.token_use !== 'session') return principal;
      if (principal.authMethod === 'basic') return principal;
      throw new SecurityError('UNAUTHENTICATED', 'the user of this credential no longer exists');
    }
    if (Number(user.is_active) !== 1) throw new SecurityError('UNAUTHENTICATED', 'account is disabled');
    const session = principal.claims?.token_use === 'session';
    // A password change (or reset) ends the sessions opened before it: session tokens carry the
    // password-change time current when they were issued.
    if (session && user.password_changed_at && principal.claims?.pwd_at !== user.password_changed_at) {
      throw new SecurityError('TOKEN_REVOKED', 'session ended: the password was changed', {
        details: { reason: 'password-changed' },
      });
    }
    const [memberships, grants] = await Promise.all([
      this.o.teams.teamsOf(user.email),
      this.o.roles.grants({ userEmail: user.email }),
    ]);
    const roles: RoleAssignment[] = grants.map((g) => ({ role: g.roleName, teamId: g.teamId }));
    for (const m of memberships) {
      roles.push({ role: m.member_role === 'owner' ? this.o.ownerRole : this.o.memberRole, teamId: m.id });
    }
    const teamIds = memberships.map((m) => m.id);
    const dbAdmin =
      Number(user.is_admin) === 1 || grants.some((g) => g.roleName === 'platform_admin' && !g.teamId);
    let isAdmin = dbAdmin;
    let teams: TeamScope;
    switch (principal.authMethod) {
      case 'api_token': {
        const bound = principal.teams.kind === 'teams' ? principal.teams.teamIds : [];
        teams =
          bound.length > 0
            ? teamsScope(bound.filter((t) => teamIds.includes(t)))
            : isAdmin
              ? ADMIN_BYPASS
              : teamsScope(teamIds);
        break;
      }
      case 'jwt': {
        if (!session) isAdmin = dbAdmin || principal.isAdmin;
        const claim =
          principal.claims && Object.hasOwn(principal.claims, 'teams') ? principal.teams : undefined;
        if (session || claim === undefined) teams = isAdmin ? ADMIN_BYPASS : teamsScope(teamIds);
        else if (claim.kind === 'admin-bypass') teams = isAdmin ? ADMIN_BYPASS : teamsScope(teamIds);
        else if (claim.kind === 'teams') teams = teamsScope(claim.teamIds.filter((t) => teamIds.includes(t)));
        else teams = PUBLIC_ONLY;
        break;
      }
      default:
        teams = isAdmin ? ADMIN_BYPASS : teamsScope(teamIds);
    }
    return Object.freeze({
      ...principal,
      subject: user.email,
      email: user.email,
      isAdmin,
      teams,
      roles: Object.freeze(roles),
    });
  }
}
