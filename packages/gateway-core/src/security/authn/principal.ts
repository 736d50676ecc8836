/**
 * Who is calling, resolved once per request by the authentication resolver and passed forward to
 * authorization, visibility filtering, plugins and audit.
 */

/**
 * What the caller may SEE (ContextForge's token scoping layer):
 * - `public-only`: public entities only (missing or empty `teams` claim, anonymous callers);
 * - `teams`: public entities plus those of the listed teams (and the caller's own private ones);
 * - `admin-bypass`: everything (an admin whose `teams` claim is `null`).
 */
export type TeamScope =
  | { readonly kind: 'public-only' }
  | { readonly kind: 'teams'; readonly teamIds: readonly string[] }
  | { readonly kind: 'admin-bypass' };

/** A role held by the principal: globally (`teamId` null) or within one team. */
export interface RoleAssignment {
  /** Role name (`platform_admin`, `team_admin`, `developer`, `viewer`, `platform_viewer`, or a custom one). */
  readonly role: string;
  /** The team the role applies to; `null` for a global role. */
  readonly teamId: string | null;
}

/** Restrictions carried by the credential itself (API token scope or JWT `scopes` claim). */
export interface TokenRestrictions {
  /** Virtual server ids the credential may use; `null`/absent = any. */
  readonly serverIds?: readonly string[] | null;
  /** Permissions the credential is limited to (intersected with RBAC); absent/empty = no extra limit. */
  readonly permissions?: readonly string[];
}

/** How the principal authenticated. */
export type AuthMethod = 'jwt' | 'api_token' | 'basic' | 'sso' | 'proxy' | 'anonymous';

/** The authenticated caller of one request. Immutable; safe to cache and share between requests. */
export interface Principal {
  /** Stable subject: the user's email for users, `anonymous` for anonymous callers. */
  readonly subject: string;
  /** The user's email when known. */
  readonly email?: string;
  /** How the credential was verified. */
  readonly authMethod: AuthMethod;
  /** Platform administrator (ContextForge `is_admin`). */
  readonly isAdmin: boolean;
  /** What the caller may see. */
  readonly teams: TeamScope;
  /** RBAC roles (filled by the resolver's role lookup; empty until then). */
  readonly roles: readonly RoleAssignment[];
  /** Limits the credential adds on top of RBAC. */
  readonly restrictions?: TokenRestrictions;
  /** JWT `jti` or API token id: the handle used to revoke this credential. */
  readonly tokenId?: string;
  /** When the credential expires (epoch ms); absent when it does not. */
  readonly expiresAt?: number;
  /** Verified JWT claims (absent for other methods). */
  readonly claims?: Readonly<Record<string, unknown>>;
}

/** The principal of an unauthenticated caller when `AUTH_REQUIRED=false`: public entities only, no roles. */
export const ANONYMOUS_PRINCIPAL: Principal = Object.freeze({
  subject: 'anonymous',
  authMethod: 'anonymous',
  isAdmin: false,
  teams: Object.freeze({ kind: 'public-only' }),
  roles: Object.freeze([]),
});
