import { z } from 'zod';
import {
  boolSetting,
  enumSetting,
  intSetting,
  optionalStringSetting,
  type Setting,
  stringSetting,
} from '../../config/setting.js';
import { JWT_ALGORITHMS } from '../../security/jwt/jwt-keys.js';

const LIST = {
  re: /^\s*(\[[\s\S]*\]|[^[\]]*)\s*$/,
  expected: 'a JSON array of strings or a comma-separated list',
};

/** A list setting: a JSON array of strings or a comma-separated string (parsed by `parseList`). */
function listSetting(def: readonly string[], description: string) {
  return stringSetting(def.join(','), description, LIST);
}

/** An optional http(s) URL setting. */
function optionalUrlSetting(description: string) {
  const schema = z
    .string()
    .refine((v) => {
      try {
        return ['http:', 'https:'].includes(new URL(v).protocol);
      } catch {
        return false;
      }
    })
    .optional()
    .describe(description);
  return {
    schema,
    expected: 'an absolute http(s) URL',
    description,
    secret: false,
    defaultText: undefined,
  } satisfies Setting;
}

/**
 * Settings of the security layer (issue 6), under ContextForge's names where ContextForge has one. They are
 * merged into `SETTINGS`, so `loadConfig` validates them and the README table lists them.
 */
export const AUTH_SETTINGS = {
  AUTH_REQUIRED: boolSetting(
    true,
    'Require authentication on every REST, admin and MCP route. false is for local development only: callers without credentials are anonymous and see public entities only.',
  ),
  AUTH_HEADER_NAME: stringSetting(
    'Authorization',
    'Header carrying `Bearer <token>` (e.g. X-MCP-Gateway-Auth to keep Authorization for upstreams).',
    { re: /^[A-Za-z0-9-]{1,64}$/, expected: 'an HTTP header name' },
  ),
  JWT_ALGORITHM: enumSetting(
    JWT_ALGORITHMS,
    'HS256',
    'JWT signing algorithm: HS256/384/512 with JWT_SECRET_KEY, or RS*/PS*/ES*/EdDSA with key files.',
  ),
  JWT_PUBLIC_KEY_PATH: optionalStringSetting('PEM public key (or certificate) verifying asymmetric JWTs.'),
  JWT_PRIVATE_KEY_PATH: optionalStringSetting('PEM private key signing asymmetric JWTs (login, CLI).'),
  JWT_JWKS_URL: optionalUrlSetting(
    'JWKS URL verifying asymmetric gateway JWTs signed elsewhere (instead of JWT_PUBLIC_KEY_PATH).',
  ),
  JWT_AUDIENCE: stringSetting('mcpgateway-api', '`aud` of gateway JWTs.'),
  JWT_ISSUER: stringSetting('mcpgateway', '`iss` of gateway JWTs.'),
  JWT_AUDIENCE_VERIFICATION: boolSetting(true, 'Check `aud` of gateway JWTs.'),
  JWT_ISSUER_VERIFICATION: boolSetting(true, 'Check `iss` of gateway JWTs.'),
  REQUIRE_JTI: boolSetting(true, 'Refuse JWTs without a `jti` (they could not be revoked).'),
  REQUIRE_TOKEN_EXPIRATION: boolSetting(true, 'Refuse JWTs without an `exp`.'),
  TOKEN_EXPIRY: intSetting(
    1,
    525_600,
    20,
    'Minutes a login session token lives (renew with /v1/auth/refresh).',
  ),
  SESSION_MAX_LIFETIME_MINUTES: intSetting(
    1,
    525_600,
    1440,
    'Longest time a session can be kept alive by /v1/auth/refresh after the login.',
  ),
  AUTH_CACHE_USER_TTL: intSetting(
    0,
    300,
    30,
    'Seconds a verified credential (with its user, roles and teams) is served from cache; changes made through the API take effect at once.',
  ),
  BASIC_AUTH_USER: stringSetting('admin', 'HTTP Basic user for the admin API (with API_ALLOW_BASIC_AUTH).'),
  BASIC_AUTH_PASSWORD: optionalStringSetting('HTTP Basic password; unset disables HTTP Basic.', true),
  API_ALLOW_BASIC_AUTH: boolSetting(false, 'Accept HTTP Basic (BASIC_AUTH_USER/PASSWORD) on the REST API.'),
  EMAIL_AUTH_ENABLED: boolSetting(true, 'Email + password login (/v1/auth/login).'),
  PUBLIC_REGISTRATION_ENABLED: boolSetting(false, 'Let anyone create an account (/v1/auth/email/register).'),
  PLATFORM_ADMIN_FULL_NAME: stringSetting('Platform Administrator', 'Display name of the bootstrap admin.'),
  ARGON2ID_TIME_COST: intSetting(1, 100, 3, 'Argon2id iterations for password hashes.'),
  ARGON2ID_MEMORY_COST: intSetting(8, 4_194_304, 65_536, 'Argon2id memory in KiB.'),
  ARGON2ID_PARALLELISM: intSetting(1, 255, 1, 'Argon2id lanes.'),
  PASSWORD_MIN_LENGTH: intSetting(1, 1024, 8, 'Shortest password accepted.'),
  PASSWORD_MAX_LENGTH: intSetting(1, 1024, 128, 'Longest password accepted.'),
  PASSWORD_REQUIRE_UPPERCASE: boolSetting(true, 'Passwords need an uppercase letter.'),
  PASSWORD_REQUIRE_LOWERCASE: boolSetting(true, 'Passwords need a lowercase letter.'),
  PASSWORD_REQUIRE_NUMBERS: boolSetting(true, 'Passwords need a digit.'),
  PASSWORD_REQUIRE_SPECIAL: boolSetting(true, 'Passwords need a character that is not a letter or digit.'),
  MAX_FAILED_LOGIN_ATTEMPTS: intSetting(
    1,
    1000,
    5,
    'Failed logins (per email, within an hour) before lockout.',
  ),
  ACCOUNT_LOCKOUT_DURATION_MINUTES: intSetting(1, 10_080, 30, 'Minutes an account stays locked.'),
  AUTO_CREATE_PERSONAL_TEAMS: boolSetting(true, 'Give every new user a personal team they own.'),
  MAX_TEAMS_PER_USER: intSetting(1, 10_000, 50, 'Teams a user may belong to at most.'),
  MAX_MEMBERS_PER_TEAM: intSetting(1, 100_000, 100, 'Members a team may have at most.'),
  INVITATION_EXPIRY_DAYS: intSetting(1, 365, 7, 'Days a team invitation stays valid.'),
  ALLOW_TEAM_CREATION: boolSetting(true, 'Let users with teams.create create teams.'),
  DEFAULT_USER_ROLE: stringSetting('platform_viewer', 'Global role of new users (`none` for no role).'),
  DEFAULT_TEAM_OWNER_ROLE: stringSetting('team_admin', 'Team role of team owners.'),
  DEFAULT_TEAM_MEMBER_ROLE: stringSetting('viewer', 'Team role of team members.'),
  TOKEN_MAX_LIFETIME_DAYS: intSetting(0, 36_500, 0, 'Longest API token lifetime in days (0 = no limit).'),
  TRUSTED_PROXIES: listSetting(
    [],
    'Proxies (CIDR) whose X-Forwarded-For is believed when deciding the client address (rate limits, token IP restrictions).',
  ),
  APP_DOMAIN: optionalUrlSetting(
    'Public base URL of the gateway (https://gw.example.com): OAuth redirect URIs, protected-resource metadata. Default: from the request.',
  ),
  SSO_ENABLED: boolSetting(false, 'Single sign-on (/v1/auth/sso/*).'),
  SSO_AUTO_CREATE_USERS: boolSetting(true, 'Create users on their first SSO login.'),
  SSO_TRUSTED_DOMAINS: listSetting([], 'Only emails of these domains may log in with SSO (empty = any).'),
  SSO_AUTO_ADMIN_DOMAINS: listSetting([], 'Verified emails of these domains become platform admins.'),
  SSO_GROUP_MAPPINGS: stringSetting(
    '[]',
    'JSON list of SSO mapping rules: {"group"|"role"|"email_domain", "team", "team_role", "global_role", "admin"}.',
    { re: /^\s*\[[\s\S]*\]\s*$/, expected: 'a JSON array of mapping rules' },
  ),
  SSO_API_TOKEN_AUTH_ENABLED: boolSetting(
    false,
    'Accept access tokens of the SSO OIDC providers as bearer tokens (MCP resource server, RFC 9728/8707).',
  ),
  SSO_GITHUB_ENABLED: boolSetting(false, 'GitHub login.'),
  SSO_GITHUB_CLIENT_ID: optionalStringSetting('GitHub OAuth app client id.'),
  SSO_GITHUB_CLIENT_SECRET: optionalStringSetting('GitHub OAuth app client secret.', true),
  SSO_GITHUB_WEB_URL: stringSetting('https://github.com', 'GitHub web URL (GitHub Enterprise).'),
  SSO_GITHUB_API_URL: stringSetting('https://api.github.com', 'GitHub API URL (GitHub Enterprise).'),
  SSO_GITHUB_ADMIN_ORGS: listSetting([], 'GitHub organisations whose members become platform admins.'),
  SSO_GOOGLE_ENABLED: boolSetting(false, 'Google login.'),
  SSO_GOOGLE_CLIENT_ID: optionalStringSetting('Google client id.'),
  SSO_GOOGLE_CLIENT_SECRET: optionalStringSetting('Google client secret.', true),
  SSO_OKTA_ENABLED: boolSetting(false, 'Okta login.'),
  SSO_OKTA_CLIENT_ID: optionalStringSetting('Okta client id.'),
  SSO_OKTA_CLIENT_SECRET: optionalStringSetting('Okta client secret.', true),
  SSO_OKTA_ISSUER: optionalUrlSetting('Okta issuer (https://<org>.okta.com/oauth2/default).'),
  SSO_KEYCLOAK_ENABLED: boolSetting(false, 'Keycloak login.'),
  SSO_KEYCLOAK_BASE_URL: optionalUrlSetting('Keycloak base URL.'),
  SSO_KEYCLOAK_REALM: stringSetting('master', 'Keycloak realm.'),
  SSO_KEYCLOAK_CLIENT_ID: optionalStringSetting('Keycloak client id.'),
  SSO_KEYCLOAK_CLIENT_SECRET: optionalStringSetting('Keycloak client secret.', true),
  SSO_ENTRA_ENABLED: boolSetting(false, 'Microsoft Entra ID login.'),
  SSO_ENTRA_CLIENT_ID: optionalStringSetting('Entra ID client id.'),
  SSO_ENTRA_CLIENT_SECRET: optionalStringSetting('Entra ID client secret.', true),
  SSO_ENTRA_TENANT_ID: optionalStringSetting('Entra ID tenant id.'),
  SSO_ENTRA_ADMIN_GROUPS: listSetting([], 'Entra group ids whose members become platform admins.'),
  SSO_GENERIC_ENABLED: boolSetting(false, 'Login with any OpenID Connect provider.'),
  SSO_GENERIC_PROVIDER_ID: stringSetting('oidc', 'Id of the generic provider (URL segment).', {
    re: /^[a-z0-9][a-z0-9_-]{0,63}$/,
    expected: 'lowercase letters, digits, _ and -',
  }),
  SSO_GENERIC_DISPLAY_NAME: optionalStringSetting('Name of the generic provider on the login page.'),
  SSO_GENERIC_CLIENT_ID: optionalStringSetting('Generic OIDC client id.'),
  SSO_GENERIC_CLIENT_SECRET: optionalStringSetting('Generic OIDC client secret.', true),
  SSO_GENERIC_ISSUER: optionalUrlSetting('Generic OIDC issuer (discovery base).'),
  SSO_GENERIC_SCOPE: stringSetting('openid profile email', 'Scopes requested from the generic provider.'),
  INSECURE_ALLOW_QUERYPARAM_AUTH: boolSetting(
    false,
    'Allow upstream credentials in a URL query parameter (auth_type query_param; secrets in URLs leak into logs).',
  ),
  INSECURE_QUERYPARAM_AUTH_ALLOWED_HOSTS: listSetting(
    [],
    'Upstream hosts that may receive query-parameter credentials.',
  ),
  ENABLE_HEADER_PASSTHROUGH: boolSetting(
    false,
    'Forward allow-listed client headers to upstreams (X-Upstream-Authorization becomes Authorization).',
  ),
  DEFAULT_PASSTHROUGH_HEADERS: listSetting(
    [],
    'Client headers forwarded to every upstream when ENABLE_HEADER_PASSTHROUGH is on (a gateway may list more).',
  ),
  OAUTH_REQUEST_TIMEOUT: intSetting(1, 300, 30, 'Seconds an OAuth/OIDC request may take.'),
  DCR_ENABLED: boolSetting(true, 'Register the gateway with upstream authorization servers (RFC 7591).'),
  DCR_AUTO_REGISTER_ON_MISSING_CREDENTIALS: boolSetting(
    true,
    'Register automatically when a gateway has oauth_config without client_id.',
  ),
  DCR_DEFAULT_SCOPES: listSetting(['mcp:read'], 'Scopes requested when registering.'),
  DCR_ALLOWED_ISSUERS: listSetting([], 'Authorization servers the gateway may register with (empty = any).'),
  DCR_TOKEN_ENDPOINT_AUTH_METHOD: enumSetting(
    ['client_secret_basic', 'client_secret_post', 'none'] as const,
    'client_secret_basic',
    'Token endpoint authentication method requested at registration.',
  ),
  DCR_METADATA_CACHE_TTL: intSetting(0, 86_400, 3600, 'Seconds authorization-server metadata is cached.'),
  DCR_CLIENT_NAME_TEMPLATE: stringSetting(
    'MCP Gateway ({gateway_name})',
    'client_name sent at registration ({gateway_name} is replaced).',
  ),
  OAUTH_PROTECTED_RESOURCE_SCOPES: listSetting(
    ['mcp:read'],
    'scopes_supported of the MCP endpoints (RFC 9728) and the scope in their 401 challenges.',
  ),
  SECURITY_HEADERS_ENABLED: boolSetting(
    true,
    'CSP, HSTS (HTTPS), X-Frame-Options, nosniff, Referrer-Policy.',
  ),
  X_FRAME_OPTIONS: enumSetting(['DENY', 'SAMEORIGIN', 'none'] as const, 'DENY', 'X-Frame-Options value.'),
  HSTS_ENABLED: boolSetting(true, 'Send Strict-Transport-Security on HTTPS requests.'),
  HSTS_MAX_AGE: intSetting(0, 63_072_000, 31_536_000, 'HSTS max-age in seconds.'),
  HSTS_INCLUDE_SUBDOMAINS: boolSetting(true, 'HSTS includeSubDomains.'),
  REMOVE_SERVER_HEADERS: boolSetting(true, 'Remove Server and X-Powered-By from responses.'),
  CORS_ENABLED: boolSetting(true, 'Answer cross-origin requests from ALLOWED_ORIGINS (others get 403).'),
  ALLOWED_ORIGINS: listSetting(
    [],
    'Browser origins allowed cross-origin (same-origin requests always pass).',
  ),
  CORS_ALLOW_CREDENTIALS: boolSetting(true, 'Access-Control-Allow-Credentials for allowed origins.'),
  SECURE_COOKIES: boolSetting(true, 'Mark session and CSRF cookies Secure.'),
  COOKIE_SAMESITE: enumSetting(['strict', 'lax'] as const, 'lax', 'SameSite of the session cookie.'),
  CSRF_ENABLED: boolSetting(true, 'Double-submit CSRF check on cookie-authenticated writes.'),
  MAX_HEADER_BYTES: intSetting(1024, 1_048_576, 16_384, 'Largest total request header size (431 above).'),
  MAX_HEADER_FIELD_BYTES: intSetting(256, 1_048_576, 8192, 'Largest single request header (431 above).'),
  MAX_HEADER_COUNT: intSetting(8, 10_000, 100, 'Most request headers (431 above).'),
  VALIDATION_MAX_JSON_DEPTH: intSetting(4, 1000, 30, 'Deepest JSON nesting accepted in request bodies.'),
  SSRF_PROTECTION_ENABLED: boolSetting(
    true,
    'Refuse outbound URLs to private, loopback and metadata addresses.',
  ),
  SSRF_ALLOW_LOCALHOST: boolSetting(false, 'Allow loopback upstreams (localhost, 127.0.0.0/8, ::1).'),
  SSRF_ALLOW_PRIVATE_NETWORKS: boolSetting(false, 'Allow RFC 1918, link-local, ULA and CGNAT upstreams.'),
  SSRF_ALLOWED_NETWORKS: listSetting([], 'Networks (CIDR) always allowed (metadata endpoints never are).'),
  SSRF_BLOCKED_NETWORKS: listSetting([], 'Extra networks (CIDR) always refused.'),
  SSRF_BLOCKED_HOSTS: listSetting([], 'Host names always refused.'),
  SSRF_DNS_FAIL_CLOSED: boolSetting(true, 'Refuse an outbound connection whose host does not resolve.'),
  RATE_LIMITING_ENABLED: boolSetting(
    true,
    'Tiered rate limits per client address, user and token (429 + Retry-After).',
  ),
  RATE_LIMITING_REDIS_ENABLED: boolSetting(
    true,
    'Count rate limits in Redis (shared by replicas) when CACHE_TYPE=redis; else in process.',
  ),
  RATE_LIMIT_AUTH_PER_MINUTE: intSetting(
    1,
    1_000_000,
    10,
    'Critical tier (login, refresh, SSO): requests per minute.',
  ),
  RATE_LIMIT_ADMIN_PER_MINUTE: intSetting(1, 1_000_000, 30, 'High tier (tokens, teams, users, RBAC, OAuth).'),
  RATE_LIMIT_API_PER_MINUTE: intSetting(
    1,
    1_000_000,
    100,
    'Medium tier (registries, MCP): requests per minute, plus a burst of 20%.',
  ),
  RATE_LIMIT_PUBLIC_PER_MINUTE: intSetting(1, 1_000_000, 500, 'Low tier (health, well-known).'),
  AUDIT_TRAIL_ENABLED: boolSetting(true, 'Record auth events and every admin change in audit_events.'),
  AUDIT_RETENTION_DAYS: intSetting(0, 36_500, 90, 'Days audit events are kept (0 = forever).'),
} as const satisfies Record<string, Setting>;
