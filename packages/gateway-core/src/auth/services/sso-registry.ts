import type { GatewayConfig } from '../../config/settings.js';
import type { GatewayLogger } from '../../observability/logger.js';
import type { JwksCache } from '../../security/jwt/jwks-cache.js';
import { JwtVerifier } from '../../security/jwt/jwt-verifier.js';
import { discoverAuthorizationServer } from '../../security/oauth/as-discovery.js';
import type { OAuthStateStore } from '../../security/oauth/oauth-stores.js';
import { createSsoProvider } from '../../security/sso/create-sso-provider.js';
import type { GroupMappingRule } from '../../security/sso/group-mapping.js';
import { SSO_PRESETS, type SsoProviderConfig } from '../../security/sso/sso-presets.js';
import type { SsoProvider } from '../../security/sso/sso-provider.js';
import type { FetchLike } from '../../security/ssrf/safe-fetch.js';
import { parseList } from '../config/parse-list.js';
import type { SsoStore, StoredSsoProvider } from '../stores/sso-store.js';

/** One configured provider: how to build it for a base URL, and how its identities map to access. */
export interface SsoProviderEntry {
  id: string;
  displayName: string;
  kind: 'oidc' | 'github';
  /** OIDC issuer (absent for GitHub). */
  issuer?: string;
  /** Mapping rules; `teamId` may hold a team id or slug (resolved at login). */
  rules: GroupMappingRule[];
  /** Where it is configured. */
  source: 'env' | 'database';
  config(redirectUri: string): SsoProviderConfig;
}

/** A rule as written in SSO_GROUP_MAPPINGS or a provider's `mapping_rules` (snake_case). */
interface RawRule {
  group?: string;
  role?: string;
  email_domain?: string;
  team?: string;
  team_role?: string;
  global_role?: string;
  admin?: boolean;
  provider?: string;
}

/** Converts raw mapping rules (snake_case) to {@link GroupMappingRule}s, keeping those for `provider`. */
export function mappingRules(raw: unknown, provider: string): GroupMappingRule[] {
  if (!Array.isArray(raw)) return [];
  return (raw as RawRule[])
    .filter((r) => r && typeof r === 'object' && (r.provider === undefined || r.provider === provider))
    .map((r) => ({
      ...(typeof r.group === 'string' ? { group: r.group } : {}),
      ...(typeof r.role === 'string' ? { role: r.role } : {}),
      ...(typeof r.email_domain === 'string' ? { emailDomain: r.email_domain } : {}),
      ...(typeof r.team === 'string' ? { teamId: r.team } : {}),
      ...(typeof r.team_role === 'string' ? { teamRole: r.team_role } : {}),
      ...(typeof r.global_role === 'string' ? { globalRole: r.global_role } : {}),
      ...(r.admin === true ? { admin: true } : {}),
    }));
}

function envEntries(c: GatewayConfig): SsoProviderEntry[] {
  const rules = (id: string, extra: GroupMappingRule[] = []): GroupMappingRule[] => [
    ...mappingRules(JSON.parse(c.SSO_GROUP_MAPPINGS), id),
    ...parseList(c.SSO_AUTO_ADMIN_DOMAINS).map((d) => ({ emailDomain: d, admin: true })),
    ...extra,
  ];
  const out: SsoProviderEntry[] = [];
  const client = (id: string | undefined, secret: string | undefined, redirectUri: string) => ({
    clientId: id ?? '',
    ...(secret ? { clientSecret: secret } : {}),
    redirectUri,
  });
  if (c.SSO_GITHUB_ENABLED) {
    out.push({
      id: 'github',
      displayName: 'GitHub',
      kind: 'github',
      rules: rules(
        'github',
        parseList(c.SSO_GITHUB_ADMIN_ORGS).map((o) => ({ group: o, admin: true })),
      ),
      source: 'env',
      config: (r) =>
        SSO_PRESETS.github({
          ...client(c.SSO_GITHUB_CLIENT_ID, c.SSO_GITHUB_CLIENT_SECRET, r),
          webUrl: c.SSO_GITHUB_WEB_URL,
          apiUrl: c.SSO_GITHUB_API_URL,
        }),
    });
  }
  if (c.SSO_GOOGLE_ENABLED) {
    out.push({
      id: 'google',
      displayName: 'Google',
      kind: 'oidc',
      issuer: 'https://accounts.google.com',
      rules: rules('google'),
      source: 'env',
      config: (r) => SSO_PRESETS.google(client(c.SSO_GOOGLE_CLIENT_ID, c.SSO_GOOGLE_CLIENT_SECRET, r)),
    });
  }
  if (c.SSO_OKTA_ENABLED && c.SSO_OKTA_ISSUER) {
    const issuer = c.SSO_OKTA_ISSUER;
    out.push({
      id: 'okta',
      displayName: 'Okta',
      kind: 'oidc',
      issuer,
      rules: rules('okta'),
      source: 'env',
      config: (r) => ({
        ...SSO_PRESETS.oidc({
          ...client(c.SSO_OKTA_CLIENT_ID, c.SSO_OKTA_CLIENT_SECRET, r),
          id: 'okta',
          issuer,
        }),
        scopes: ['openid', 'email', 'profile', 'groups'],
      }),
    });
  }
  if (c.SSO_KEYCLOAK_ENABLED && c.SSO_KEYCLOAK_BASE_URL) {
    const preset = (r: string) =>
      SSO_PRESETS.keycloak({
        ...client(c.SSO_KEYCLOAK_CLIENT_ID, c.SSO_KEYCLOAK_CLIENT_SECRET, r),
        baseUrl: c.SSO_KEYCLOAK_BASE_URL!,
        realm: c.SSO_KEYCLOAK_REALM,
      });
    out.push({
      id: 'keycloak',
      displayName: 'Keycloak',
      kind: 'oidc',
      issuer: preset('').issuer!,
      rules: rules('keycloak'),
      source: 'env',
      config: preset,
    });
  }
  if (c.SSO_ENTRA_ENABLED && c.SSO_ENTRA_TENANT_ID) {
    const tenantId = c.SSO_ENTRA_TENANT_ID;
    out.push({
      id: 'entra',
      displayName: 'Microsoft',
      kind: 'oidc',
      issuer: `https://login.microsoftonline.com/${tenantId}/v2.0`,
      rules: rules(
        'entra',
        parseList(c.SSO_ENTRA_ADMIN_GROUPS).map((g) => ({ group: g, admin: true })),
      ),
      source: 'env',
      config: (r) =>
        SSO_PRESETS.entra({ ...client(c.SSO_ENTRA_CLIENT_ID, c.SSO_ENTRA_CLIENT_SECRET, r), tenantId }),
    });
  }
  if (c.SSO_GENERIC_ENABLED && c.SSO_GENERIC_ISSUER) {
    const id = c.SSO_GENERIC_PROVIDER_ID;
    const issuer = c.SSO_GENERIC_ISSUER;
    out.push({
      id,
      displayName: c.SSO_GENERIC_DISPLAY_NAME ?? id,
      kind: 'oidc',
      issuer,
      rules: rules(id),
      source: 'env',
      config: (r) => ({
        ...SSO_PRESETS.oidc({
          ...client(c.SSO_GENERIC_CLIENT_ID, c.SSO_GENERIC_CLIENT_SECRET, r),
          id,
          issuer,
        }),
        scopes: c.SSO_GENERIC_SCOPE.split(/\s+/).filter(Boolean),
      }),
    });
  }
  return out;
}

function dbEntry(p: StoredSsoProvider): SsoProviderEntry {
  const s = p.settings;
  const strings = (v: unknown, fallback: string[]) =>
    Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : fallback;
  return {
    id: p.id,
    displayName: p.displayName,
    kind: p.kind,
    ...(p.issuer ? { issuer: p.issuer } : {}),
    rules: mappingRules(s.mapping_rules, p.id),
    source: 'database',
    config: (redirectUri) => {
      const client = {
        clientId: p.clientId,
        ...(p.clientSecret ? { clientSecret: p.clientSecret } : {}),
        redirectUri,
      };
      if (p.kind === 'github') {
        return SSO_PRESETS.github({
          ...client,
          ...(typeof s.web_url === 'string' ? { webUrl: s.web_url } : {}),
          ...(typeof s.api_url === 'string' ? { apiUrl: s.api_url } : {}),
        });
      }
      return {
        ...SSO_PRESETS.oidc({
          ...client,
          id: p.id,
          issuer: p.issuer ?? '',
          groupsClaims: strings(s.groups_claims, ['groups']),
          rolesClaims: strings(s.roles_claims, ['roles']),
        }),
        scopes: strings(s.scopes, ['openid', 'email', 'profile']),
      };
    },
  };
}

/** Options of {@link SsoRegistry}. */
export interface SsoRegistryOptions {
  config: GatewayConfig;
  store: SsoStore;
  fetch: FetchLike;
  states: OAuthStateStore;
  jwks: JwksCache;
  logger: GatewayLogger;
}

/**
 * The SSO providers in force: those configured by environment (SSO_GITHUB_*, SSO_GOOGLE_*, SSO_OKTA_*,
 * SSO_KEYCLOAK_*, SSO_ENTRA_*, SSO_GENERIC_*) and those managed through /v1/auth/sso/admin/providers
 * (database; an environment provider with the same id wins). Providers are built per redirect URI (the
 * public base URL) and cached; `reload()` re-reads the database after a change on any replica. With
 * SSO_API_TOKEN_AUTH_ENABLED, the OIDC providers' access tokens are also accepted as bearer tokens: their
 * verifiers are discovered here.
 */
export class SsoRegistry {
  #entries = new Map<string, SsoProviderEntry>();
  #built = new Map<string, SsoProvider>();
  #verifiers = new Map<string, JwtVerifier>();

  constructor(private readonly o: SsoRegistryOptions) {}

  /** Re-reads the providers (environment + database) and rebuilds the external token verifiers. */
  async reload(): Promise<void> {
    const entries = new Map<string, SsoProviderEntry>();
    if (this.o.config.SSO_ENABLED) {
      for (const p of await this.o.store.listProviders()) if (p.enabled) entries.set(p.id, dbEntry(p));
      for (const e of envEntries(this.o.config)) entries.set(e.id, e);
    }
    this.#entries = entries;
    this.#built.clear();
    this.#verifiers = this.o.config.SSO_API_TOKEN_AUTH_ENABLED ? await this.#externalVerifiers() : new Map();
  }

  /** Enabled providers. */
  list(): SsoProviderEntry[] {
    return [...this.#entries.values()];
  }

  /** The provider `id`, if enabled. */
  entry(id: string): SsoProviderEntry | undefined {
    return this.#entries.get(id);
  }

  /** The provider `id` for callbacks to `redirectUri`, built once. */
  provider(id: string, redirectUri: string): SsoProvider | undefined {
    const entry = this.#entries.get(id);
    if (!entry) return undefined;
    const key = `${id}\u0000${redirectUri}`;
    let built = this.#built.get(key);
    if (!built) {
      built = createSsoProvider(entry.config(redirectUri), {
        fetch: this.o.fetch,
        states: this.o.states,
        jwks: this.o.jwks,
      });
      this.#built.set(key, built);
    }
    return built;
  }

  /** Verifiers of external access tokens by exact `iss` (SSO_API_TOKEN_AUTH_ENABLED). */
  get externalVerifiers(): ReadonlyMap<string, JwtVerifier> {
    return this.#verifiers;
  }

  /** The provider id of an OIDC issuer. */
  providerOfIssuer(issuer: string): string | undefined {
    for (const e of this.#entries.values()) if (e.issuer === issuer) return e.id;
    return undefined;
  }

  async #externalVerifiers(): Promise<Map<string, JwtVerifier>> {
    const out = new Map<string, JwtVerifier>();
    for (const e of this.#entries.values()) {
      if (e.kind !== 'oidc' || !e.issuer) continue;
      try {
        const md = await discoverAuthorizationServer(e.issuer, this.o.fetch);
        if (!md.jwks_uri) continue;
        out.set(
          md.issuer,
          await JwtVerifier.create({
            algorithms: ['RS256', 'RS384', 'RS512', 'PS256', 'ES256', 'ES384'],
            jwksUrl: md.jwks_uri,
            jwks: this.o.jwks,
            issuer: md.issuer,
            requireJti: false,
          }),
        );
      } catch (error) {
        this.o.logger.warn(
          { provider: e.id, err: (error as Error).message },
          'SSO provider discovery failed; its access tokens are not accepted until the next reload',
        );
      }
    }
    return out;
  }
}
