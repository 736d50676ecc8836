/** A user as an identity provider described them after a successful login. */
export interface SsoIdentity {
  /** Provider id (`github`, `google`, `keycloak`, a generic provider's name). */
  readonly provider: string;
  /** The provider's stable subject (`sub`, or GitHub's numeric id). */
  readonly subject: string;
  /** Email (lower-cased); logins without one are refused. */
  readonly email: string;
  readonly emailVerified: boolean;
  readonly name?: string;
  /** Groups (Entra/Okta/Keycloak `groups`, GitHub organisations). */
  readonly groups: readonly string[];
  /** IdP roles (Entra app roles, Keycloak realm/client roles). */
  readonly roles: readonly string[];
  /** Entra ID group overage: the token lists no groups because there are too many (fetch them from Graph). */
  readonly groupsOverage?: boolean;
  /** All verified claims (ID token merged with userinfo). */
  readonly claims: Readonly<Record<string, unknown>>;
}

/**
 * Reads a claim by dotted path (`realm_access.roles`, `resource_access.my-client.roles`); a top-level key
 * containing dots (`https://example.com/groups`) is tried first.
 */
export function claimAt(claims: Readonly<Record<string, unknown>>, path: string): unknown {
  if (Object.hasOwn(claims, path)) return claims[path];
  let cur: unknown = claims;
  for (const part of path.split('.')) {
    if (!cur || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/** Collects strings from the claims at `paths` (arrays, single strings or space/comma-separated lists). */
export function stringsAt(claims: Readonly<Record<string, unknown>>, paths: readonly string[]): string[] {
  const out = new Set<string>();
  for (const p of paths) {
    const v = claimAt(claims, p);
    if (Array.isArray(v)) for (const x of v) typeof x === 'string' && x !== '' && out.add(x);
    else if (typeof v === 'string') for (const x of v.split(/[\s,]+/)) x && out.add(x);
  }
  return [...out];
}
