/**
 * Security building blocks of the gateway: authentication (JWT, API tokens, passwords, HTTP basic, SSO),
 * RBAC, OAuth (resource server helpers and the upstream client), SSRF protection, HTTP hardening
 * middleware, rate limiting, audit, redaction and tool-argument validation. Storage-facing pieces take
 * small store interfaces; in-memory implementations are exported for tests and single-process use.
 */

// API tokens
export {
  API_TOKEN_PREFIX,
  type GeneratedApiToken,
  generateApiToken,
  isApiTokenFormat,
} from './api-tokens/api-token-format.js';
export { ApiTokenHasher, deriveApiTokenPepper } from './api-tokens/api-token-hasher.js';
export {
  ApiTokenService,
  type ApiTokenServiceOptions,
  checkApiTokenIp,
  type IssueApiTokenInput,
  type VerifiedApiToken,
} from './api-tokens/api-token-service.js';
export {
  type ApiTokenRecord,
  type ApiTokenScope,
  type ApiTokenStore,
  MemoryApiTokenStore,
} from './api-tokens/api-token-store.js';
export { LastUsedTracker, type LastUsedTrackerOptions } from './api-tokens/last-used-tracker.js';
// audit and redaction
export {
  type AuditAction,
  type AuditEvent,
  type AuditSink,
  auditEvent,
  logAuditSink,
  MemoryAuditSink,
} from './audit/audit-event.js';
export { isSecretKey, REDACTED, redactHeaders, redactSecrets, redactText } from './audit/redact.js';
// authentication
export {
  type AuthRequest,
  authRequestFromHeaders,
  authRequestFromNodeHeaders,
  bearerToken,
  cookieValue,
} from './authn/auth-request.js';
export { AuthResolver, type AuthResolverOptions } from './authn/auth-resolver.js';
export type { AuthOutcome, AuthStrategy } from './authn/auth-strategy.js';
export {
  ANONYMOUS_PRINCIPAL,
  type AuthMethod,
  type Principal,
  type RoleAssignment,
  type TeamScope,
  type TokenRestrictions,
} from './authn/principal.js';
export { ApiTokenStrategy, type ApiTokenStrategyOptions } from './authn/strategies/api-token-strategy.js';
export {
  BasicAuthStrategy,
  type BasicCredentialsVerifier,
  staticBasicCredentials,
} from './authn/strategies/basic-auth-strategy.js';
export { JwtBearerStrategy, type JwtBearerStrategyOptions } from './authn/strategies/jwt-bearer-strategy.js';
// errors
export {
  isSecurityError,
  SECURITY_ERROR_STATUS,
  SecurityError,
  type SecurityErrorCode,
  type SecurityErrorOptions,
} from './errors.js';
// HTTP hardening
export { type BodyLimitOptions, bodyLimits } from './http/body-limits.js';
export { type CorsOptions, cors, MCP_EXPOSED_HEADERS, MCP_REQUEST_HEADERS } from './http/cors.js';
export { type CsrfOptions, csrfProtection, issueCsrfToken } from './http/csrf.js';
export { onSecurityError, securityErrorResponse } from './http/error-response.js';
export { checkHeaderLimits, type HeaderLimits, headerLimits, rawHeaderPairs } from './http/header-limits.js';
export { checkJsonDepth, type JsonLimits, parseJsonLimited, readBodyLimited } from './http/json-limits.js';
export {
  DEFAULT_TIERS,
  defaultTierFor,
  type RateLimitOptions,
  type RateLimitTier,
  rateLimit,
} from './http/rate-limit/rate-limit.js';
export {
  gcra,
  MemoryRateLimitStore,
  type RateLimitDecision,
  type RateLimitRule,
  type RateLimitStore,
} from './http/rate-limit/rate-limit-store.js';
export { RedisRateLimitStore } from './http/rate-limit/redis-rate-limit-store.js';
export { DEFAULT_CSP, type SecurityHeadersOptions, securityHeaders } from './http/security-headers.js';
// JWT
export { type CreateTokenOptions, createToken } from './jwt/create-token.js';
export { type DecodedToken, decodeToken } from './jwt/decode-token.js';
export { JwksCache, type JwksCacheOptions } from './jwt/jwks-cache.js';
export {
  isSymmetric,
  JWT_ALGORITHMS,
  type JwtAlgorithm,
  parseAlgorithm,
  resolveSigningKey,
  resolveVerificationKey,
  type VerificationKey,
  type VerificationKeySource,
} from './jwt/jwt-keys.js';
export { JwtVerifier, type JwtVerifierOptions, type VerifiedJwt } from './jwt/jwt-verifier.js';
export {
  MemoryTokenRevocationStore,
  type RevocationEntry,
  type TokenRevocationStore,
} from './jwt/revocation-store.js';
export { isAdminClaim, restrictionsFromClaims, teamScopeFromClaims } from './jwt/team-claims.js';
// network primitives
export { type Cidr, CidrSet, cidrContains, parseCidr } from './net/cidr.js';
export { embeddedIpv4, formatIp, type IpAddress, parseIp } from './net/ip-address.js';
// OAuth: upstream client
export {
  type AuthorizationServerMetadata,
  discoverAuthorizationServer,
  discoverFromResource,
  type ResourceDiscovery,
} from './oauth/as-discovery.js';
export {
  type ClientRegistrationRequest,
  type RegisteredClient,
  registerClient,
} from './oauth/dynamic-client-registration.js';
export {
  MemoryOAuthStateStore,
  MemoryOAuthTokenStore,
  type OAuthStateStore,
  type OAuthTokenKey,
  type OAuthTokenStore,
  type PendingAuthorization,
} from './oauth/oauth-stores.js';
export { createPkcePair, type PkcePair, pkceChallenge, randomToken } from './oauth/pkce.js';
// OAuth: resource server
export {
  canonicalResourceUri,
  PRM_WELL_KNOWN,
  type ProtectedResourceInput,
  type ProtectedResourceMetadata,
  protectedResourceMetadata,
  protectedResourceMetadataUrl,
  resourcePathFromMetadataPath,
} from './oauth/protected-resource-metadata.js';
export { assertAudience } from './oauth/resource-indicator.js';
export {
  type ClientAuthMethod,
  type OAuthClientCredentials,
  requestToken,
  type TokenSet,
} from './oauth/token-endpoint.js';
export {
  UpstreamOAuthClient,
  type UpstreamOAuthClientOptions,
  type UpstreamOAuthConfig,
} from './oauth/upstream-oauth-client.js';
export {
  type BearerChallenge,
  buildWwwAuthenticate,
  type ParsedChallenge,
  parseWwwAuthenticate,
} from './oauth/www-authenticate.js';
// passwords
export {
  type FailurePolicy,
  type LoginFailureState,
  type LoginFailureStore,
  MemoryLoginFailureStore,
  nextFailureState,
} from './passwords/login-failure-store.js';
export {
  LoginGuard,
  type LoginGuardOptions,
  type LoginSuccess,
  type LoginUser,
} from './passwords/login-guard.js';
export { type Argon2Params, MAX_PASSWORD_BYTES, PasswordHasher } from './passwords/password-hasher.js';
export {
  assertPassword,
  checkPassword,
  DEFAULT_PASSWORD_POLICY,
  type PasswordPolicy,
  type PasswordViolation,
  passwordPolicyFromEnv,
} from './passwords/password-policy.js';
// RBAC
export { BUILTIN_ROLES, type RoleDefinition } from './rbac/builtin-roles.js';
export {
  assertPermission,
  checkPermission,
  compileRoleMap,
  type PermissionContext,
  type PermissionDecision,
  type RoleMap,
} from './rbac/permission-checker.js';
export { ALL_PERMISSIONS, isKnownPermission, PERMISSIONS, WILDCARD_PERMISSION } from './rbac/permissions.js';
// SSO
export { createSsoProvider } from './sso/create-sso-provider.js';
export { GitHubProvider } from './sso/github-provider.js';
export { type GroupMappingRule, type MappedAccess, mapSsoIdentity } from './sso/group-mapping.js';
export { OidcProvider } from './sso/oidc-provider.js';
export { claimAt, type SsoIdentity, stringsAt } from './sso/sso-identity.js';
export { SSO_PRESETS, type SsoClientSettings, type SsoProviderConfig } from './sso/sso-presets.js';
export type { SsoDependencies, SsoProvider } from './sso/sso-provider.js';
// SSRF
export {
  type AddressClass,
  classifyAddress,
  isLocalhostName,
  METADATA_HOSTNAMES,
} from './ssrf/address-class.js';
export { createSsrfConnector, createSsrfSafeDispatcher } from './ssrf/safe-dispatcher.js';
export {
  createSafeFetch,
  type FetchLike,
  readResponseText,
  type SafeFetchOptions,
} from './ssrf/safe-fetch.js';
export { type CheckedUrl, type ConnectLookup, type HostResolver, SsrfGuard } from './ssrf/ssrf-guard.js';
export {
  createSsrfPolicy,
  type SsrfPolicy,
  type SsrfPolicyOptions,
  ssrfPolicyFromEnv,
} from './ssrf/ssrf-policy.js';

// validation
export {
  type ArgumentIssue,
  ToolArgumentValidator,
  type ToolArgumentValidatorOptions,
} from './validation/tool-argument-validator.js';
