import { SecurityError } from '../errors.js';

/** How to talk to one SSO provider and where its groups and roles are. */
export interface SsoProviderConfig {
  /** Provider id used in URLs and identities. */
  id: string;
  kind: 'oidc' | 'github';
  /** OIDC issuer (discovery base). */
  issuer?: string;
  clientId: string;
  clientSecret?: string;
  redirectUri: string;
  scopes: string[];
  /** Claim paths holding groups. */
  groupsClaims: string[];
  /** Claim paths holding roles. */
  rolesClaims: string[];
  /** GitHub endpoints (overridable for GitHub Enterprise). */
  github?: { authorizeUrl: string; tokenUrl: string; apiUrl: string };
}

/** Settings common to every preset. */
export interface SsoClientSettings {
  clientId: string;
  clientSecret?: string;
  redirectUri: string;
  /** Extra scopes on top of the preset's. */
  extraScopes?: string[];
}

const OIDC_SCOPES = ['openid', 'email', 'profile'];

function base(id: string, kind: 'oidc' | 'github', s: SsoClientSettings, scopes: string[]) {
  return {
    id,
    kind,
    clientId: s.clientId,
    ...(s.clientSecret ? { clientSecret: s.clientSecret } : {}),
    redirectUri: s.redirectUri,
    scopes: [...new Set([...scopes, ...(s.extraScopes ?? [])])],
  };
}

/**
 * Provider presets (ContextForge SSO_* settings): issuer URL templates and the claims that carry groups
 * and roles for each provider.
 */
export const SSO_PRESETS = {
  /** GitHub: OAuth 2.0 (not OIDC); identity from the REST API, organisations as groups. */
  github(s: SsoClientSettings & { apiUrl?: string; webUrl?: string }): SsoProviderConfig {
    const web = (s.webUrl ?? 'https://github.com').replace(/\/$/, '');
    return {
      ...base('github', 'github', s, ['read:user', 'user:email', 'read:org']),
      groupsClaims: ['orgs'],
      rolesClaims: [],
      github: {
        authorizeUrl: `${web}/login/oauth/authorize`,
        tokenUrl: `${web}/login/oauth/access_token`,
        apiUrl: (s.apiUrl ?? 'https://api.github.com').replace(/\/$/, ''),
      },
    };
  },
  /** Google: `https://accounts.google.com`; no groups in tokens (the `hd` claim names the Workspace domain). */
  google(s: SsoClientSettings): SsoProviderConfig {
    return {
      ...base('google', 'oidc', s, OIDC_SCOPES),
      issuer: 'https://accounts.google.com',
      groupsClaims: ['hd'],
      rolesClaims: [],
    };
  },
  /** Microsoft Entra ID: `https://login.microsoftonline.com/<tenant>/v2.0`; `groups` (object ids) and app `roles`. */
  entra(s: SsoClientSettings & { tenantId: string }): SsoProviderConfig {
    if (!/^[A-Za-z0-9.-]+$/.test(s.tenantId)) throw bad('SSO_ENTRA_TENANT_ID', s.tenantId);
    return {
      ...base('entra', 'oidc', s, OIDC_SCOPES),
      issuer: `https://login.microsoftonline.com/${s.tenantId}/v2.0`,
      groupsClaims: ['groups'],
      rolesClaims: ['roles'],
    };
  },
  /** Okta: `https://<domain>/oauth2/<authorization server>` (or the org server); `groups` needs the `groups` scope. */
  okta(s: SsoClientSettings & { domain: string; authorizationServerId?: string | null }): SsoProviderConfig {
    const domain = s.domain.replace(/^https?:\/\//, '').replace(/\/$/, '');
    if (!/^[A-Za-z0-9.-]+(:\d+)?$/.test(domain)) throw bad('SSO_OKTA_DOMAIN', s.domain);
    const server = s.authorizationServerId === null ? '' : `/oauth2/${s.authorizationServerId ?? 'default'}`;
    return {
      ...base('okta', 'oidc', s, [...OIDC_SCOPES, 'groups']),
      issuer: `https://${domain}${server}`,
      groupsClaims: ['groups'],
      rolesClaims: [],
    };
  },
  /** Keycloak: `<base>/realms/<realm>`; groups in `groups`, roles in `realm_access.roles` and `resource_access.<client>.roles`. */
  keycloak(s: SsoClientSettings & { baseUrl: string; realm: string }): SsoProviderConfig {
    if (!/^[A-Za-z0-9._-]+$/.test(s.realm)) throw bad('SSO_KEYCLOAK_REALM', s.realm);
    return {
      ...base('keycloak', 'oidc', s, OIDC_SCOPES),
      issuer: `${s.baseUrl.replace(/\/$/, '')}/realms/${s.realm}`,
      groupsClaims: ['groups'],
      rolesClaims: ['realm_access.roles', `resource_access.${s.clientId}.roles`],
    };
  },
  /** Any OpenID Connect provider, with configurable claim locations. */
  oidc(
    s: SsoClientSettings & { id?: string; issuer: string; groupsClaims?: string[]; rolesClaims?: string[] },
  ): SsoProviderConfig {
    return {
      ...base(s.id ?? 'oidc', 'oidc', s, OIDC_SCOPES),
      issuer: s.issuer,
      groupsClaims: s.groupsClaims ?? ['groups'],
      rolesClaims: s.rolesClaims ?? ['roles'],
    };
  },
} as const;

function bad(field: string, value: string): SecurityError {
  return new SecurityError('CONFIG_INVALID', `${field}: invalid value '${value}'`, { field });
}
