import type { Context } from 'hono';
import { Redis } from 'ioredis';
import type { GatewayConfig } from '../config/settings.js';
import { GatewayError } from '../errors.js';
import { redactUrl } from '../observability/logger.js';
import type { Actor } from '../registry/common/actor.js';
import { ApiTokenHasher } from '../security/api-tokens/api-token-hasher.js';
import { ApiTokenService } from '../security/api-tokens/api-token-service.js';
import { LastUsedTracker } from '../security/api-tokens/last-used-tracker.js';
import type { RateLimitStore } from '../security/http/rate-limit/rate-limit-store.js';
import { MemoryRateLimitStore } from '../security/http/rate-limit/rate-limit-store.js';
import { RedisRateLimitStore } from '../security/http/rate-limit/redis-rate-limit-store.js';
import { JwksCache } from '../security/jwt/jwks-cache.js';
import { LoginGuard } from '../security/passwords/login-guard.js';
import { PasswordHasher } from '../security/passwords/password-hasher.js';
import type { PasswordPolicy } from '../security/passwords/password-policy.js';
import { createSsrfConnector, createSsrfSafeDispatcher } from '../security/ssrf/safe-dispatcher.js';
import { createSafeFetch } from '../security/ssrf/safe-fetch.js';
import { SsrfGuard } from '../security/ssrf/ssrf-guard.js';
import { createSsrfPolicy } from '../security/ssrf/ssrf-policy.js';
import { ToolArgumentValidator } from '../security/validation/tool-argument-validator.js';
import type { AuthLayer, CreateAuthLayerOptions } from './auth-layer-types.js';
import { AuthBus, type AuthInvalidation } from './authn/auth-bus.js';
import { Authenticator } from './authn/authenticator.js';
import { PrincipalEnricher } from './authn/principal-enricher.js';
import { TokenIssuer } from './authn/token-issuer.js';
import { RequestAuthorizer } from './authz/request-authorizer.js';
import { RoleCatalog } from './authz/role-catalog.js';
import { canSee, visibilityFor } from './authz/visibility.js';
import { parseList } from './config/parse-list.js';
import { authMiddleware } from './http/auth-middleware.js';
import { principalIfAny } from './http/request-context.js';
import { McpAccess } from './mcp-access.js';
import { auditRoutes } from './routes/audit-routes.js';
import { authRoutes } from './routes/auth-routes.js';
import { oauthRoutes } from './routes/oauth-routes.js';
import { protectedResourceRoutes } from './routes/protected-resource-routes.js';
import { rbacRoutes } from './routes/rbac-routes.js';
import { ssoRoutes } from './routes/sso-routes.js';
import { teamRoutes } from './routes/team-routes.js';
import { tokenRoutes } from './routes/token-routes.js';
import { AuditRecorder } from './services/audit-recorder.js';
import type { AuthDeps } from './services/auth-deps.js';
import { bootstrapAuth } from './services/bootstrap.js';
import { revokeCredential } from './services/credential-revoker.js';
import { RoleService } from './services/role-service.js';
import { SessionService } from './services/session-service.js';
import { SsoLoginService } from './services/sso-login-service.js';
import { SsoRegistry } from './services/sso-registry.js';
import { TeamInvitationService } from './services/team-invitations.js';
import { TeamService } from './services/team-service.js';
import { TokenService } from './services/token-service.js';
import { UpstreamCredentials } from './services/upstream-credentials.js';
import { UpstreamOAuthService } from './services/upstream-oauth-service.js';
import { UserService } from './services/user-service.js';
import { DbApiTokenStore } from './stores/db-api-token-store.js';
import { DbAuditSink } from './stores/db-audit-sink.js';
import { DbLoginFailureStore } from './stores/db-login-failure-store.js';
import { DbOAuthStateStore, DbOAuthTokenStore } from './stores/db-oauth-stores.js';
import { DbTokenRevocationStore } from './stores/db-revocation-store.js';
import { KeyStore } from './stores/key-store.js';
import { OAuthClientStore } from './stores/oauth-client-store.js';
import { RoleStore } from './stores/role-store.js';
import { SsoStore } from './stores/sso-store.js';
import type { StoreContext } from './stores/store-context.js';
import { TeamStore } from './stores/team-store.js';
import { UserStore } from './stores/user-store.js';

export type { AuthLayer, CreateAuthLayerOptions, McpScope } from './auth-layer-types.js';

/** Public base URL of a request: APP_DOMAIN, else the request's own origin. */
function baseUrlResolver(config: GatewayConfig): (c: Context) => string {
  const fixed = config.APP_DOMAIN?.replace(/\/+$/, '');
  return (c) => fixed ?? new URL(c.req.url).origin;
}

/**
 * Builds the security layer: stores over the gateway's database, generated keys, the JWT issuer/verifier,
 * API tokens, password login with lockout, RBAC, SSO, the upstream OAuth client, SSRF protection, rate
 * limits (memory or Redis), the audit trail, and cross-replica invalidation (Redis pub/sub when
 * CACHE_TYPE=redis). Runs the bootstrap (built-in roles, platform administrator).
 *
 * @throws GatewayError CONFIG_INVALID (keys, production without an admin password), CACHE_UNAVAILABLE (Redis)
 */
export async function createAuthLayer(o: CreateAuthLayerOptions): Promise<AuthLayer> {
  const { config, logger, services } = o;
  const store: StoreContext = { db: o.database.db, kind: o.database.kind, box: o.box };
  const timers: NodeJS.Timeout[] = [];
  const closers: Array<() => Promise<unknown>> = [];
  try {
    return await build();
  } catch (error) {
    for (const t of timers) clearInterval(t);
    for (const close of closers.reverse()) await close().catch(() => undefined);
    throw error;
  }

  async function build(): Promise<AuthLayer> {
    // Cross-replica coordination: invalidations and rate-limit counters in Redis when the cache is there.
    let bus = AuthBus.local();
    let rateLimits: RateLimitStore | undefined = config.RATE_LIMITING_ENABLED
      ? new MemoryRateLimitStore()
      : undefined;
    if (config.CACHE_TYPE === 'redis') {
      const common = { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 5000 };
      const pub = new Redis(config.REDIS_URL, { ...common, enableOfflineQueue: false });
      const sub = new Redis(config.REDIS_URL, common);
      for (const r of [pub, sub])
        r.on('error', (e: Error) => logger.warn({ err: e.message }, 'redis (auth) error'));
      closers.push(async () => Promise.allSettled([sub.quit(), pub.quit()]));
      try {
        await pub.connect();
        await sub.connect();
      } catch (cause) {
        throw new GatewayError(
          'CACHE_UNAVAILABLE',
          `Redis at ${redactUrl(config.REDIS_URL)} is not reachable: ${(cause as Error).message}`,
          { cause },
        );
      }
      bus = await AuthBus.redis(pub, sub, config.CACHE_PREFIX, logger);
      if (config.RATE_LIMITING_ENABLED && config.RATE_LIMITING_REDIS_ENABLED)
        rateLimits = new RedisRateLimitStore(pub, { keyPrefix: `${config.CACHE_PREFIX}rl:` });
    }

    const users = new UserStore(store);
    const teams = new TeamStore(store);
    const roleStore = new RoleStore(store);
    const ssoStore = new SsoStore(store);
    const apiTokenStore = new DbApiTokenStore(store);
    const revocation = new DbTokenRevocationStore(store);
    const keys = new KeyStore(store);
    const oauthTokens = new DbOAuthTokenStore(store);
    const oauthStates = new DbOAuthStateStore(store);
    const oauthClients = new OAuthClientStore(store);
    const failures = new DbLoginFailureStore(store);

    const guard = new SsrfGuard(
      createSsrfPolicy({
        enabled: config.SSRF_PROTECTION_ENABLED,
        allowLocalhost: config.SSRF_ALLOW_LOCALHOST,
        allowPrivateNetworks: config.SSRF_ALLOW_PRIVATE_NETWORKS,
        allowedNetworks: parseList(config.SSRF_ALLOWED_NETWORKS),
        blockedNetworks: parseList(config.SSRF_BLOCKED_NETWORKS),
        blockedHosts: parseList(config.SSRF_BLOCKED_HOSTS),
        allowedSchemes: ['http', 'https', 'ws', 'wss'],
        dnsFailClosed: config.SSRF_DNS_FAIL_CLOSED,
      }),
    );
    const dispatcher = createSsrfSafeDispatcher(guard);
    closers.push(() => dispatcher.close());
    const safeFetch = createSafeFetch({ guard, dispatcher, timeoutMs: config.OAUTH_REQUEST_TIMEOUT * 1000 });
    const jwks = new JwksCache({ fetch: safeFetch });

    const auditSink = config.AUDIT_TRAIL_ENABLED
      ? new DbAuditSink(store, {
          onError: (e, dropped) => logger.warn({ err: (e as Error).message, dropped }, 'audit write failed'),
        })
      : undefined;
    if (auditSink) closers.push(() => auditSink.close());
    const audit = new AuditRecorder(auditSink);

    const issuer = await TokenIssuer.create(config, keys, revocation, jwks);
    const pepper = Buffer.from(await keys.getOrCreate('api_token_pepper'), 'base64url');
    const tracker = new LastUsedTracker({
      store: apiTokenStore,
      onError: (e) => logger.warn({ err: (e as Error).message }, 'API token last-used write failed'),
    });
    closers.push(() => tracker.close());
    const hasher = new ApiTokenHasher(pepper);
    const apiTokens = new ApiTokenService({
      store: apiTokenStore,
      hasher,
      tracker,
      ...(config.TOKEN_MAX_LIFETIME_DAYS > 0 ? { maxLifetimeDays: config.TOKEN_MAX_LIFETIME_DAYS } : {}),
    });

    const catalog = new RoleCatalog(roleStore);
    const passwords = new PasswordHasher({
      timeCost: config.ARGON2ID_TIME_COST,
      memoryCost: config.ARGON2ID_MEMORY_COST,
      parallelism: config.ARGON2ID_PARALLELISM,
    });
    const policy: PasswordPolicy = {
      minLength: config.PASSWORD_MIN_LENGTH,
      maxLength: config.PASSWORD_MAX_LENGTH,
      requireUppercase: config.PASSWORD_REQUIRE_UPPERCASE,
      requireLowercase: config.PASSWORD_REQUIRE_LOWERCASE,
      requireDigit: config.PASSWORD_REQUIRE_NUMBERS,
      requireSpecial: config.PASSWORD_REQUIRE_SPECIAL,
      forbidEmail: true,
    };
    const loginGuard = new LoginGuard({
      hasher: passwords,
      store: failures,
      maxFailures: config.MAX_FAILED_LOGIN_ATTEMPTS,
      lockoutMs: config.ACCOUNT_LOCKOUT_DURATION_MINUTES * 60_000,
    });

    const deps: AuthDeps = {
      config,
      store,
      users,
      teams,
      roles: roleStore,
      apiTokens: apiTokenStore,
      catalog,
      bus,
      audit,
      passwords,
      policy,
      logger,
    };
    const teamService = new TeamService(deps);
    const userService = new UserService(deps, teamService);
    const roleService = new RoleService(deps);
    const tokenService = new TokenService(deps, apiTokens);
    const sessions = new SessionService(deps, loginGuard, issuer, revocation);
    const bootstrap = await bootstrapAuth(deps, userService, teamService, o.bootstrapAdmin ?? true);

    const registry = new SsoRegistry({
      config,
      store: ssoStore,
      fetch: safeFetch,
      states: oauthStates,
      jwks,
      logger,
    });
    await registry.reload();
    const ssoLogin = new SsoLoginService(deps, registry, ssoStore, userService, sessions);
    const enricher = new PrincipalEnricher({
      users,
      teams,
      roles: roleStore,
      sso: ssoStore,
      ownerRole: config.DEFAULT_TEAM_OWNER_ROLE,
      memberRole: config.DEFAULT_TEAM_MEMBER_ROLE,
      providerOfIssuer: (iss) => registry.providerOfIssuer(iss),
    });
    const authenticator = new Authenticator({
      config,
      verifier: issuer.verifier,
      apiTokens,
      enricher,
      externalIssuers: () => registry.externalVerifiers,
      bus,
    });
    bus.on((m: AuthInvalidation) => {
      if (m.kind === 'roles' || m.kind === 'all')
        void catalog.reload().catch((e) => logger.warn({ err: (e as Error).message }, 'role reload failed'));
      if (m.kind === 'providers') {
        void registry
          .reload()
          .then(() => authenticator.rebuild())
          .catch((e) => logger.warn({ err: (e as Error).message }, 'SSO provider reload failed'));
      }
    });

    const oauth = new UpstreamOAuthService({
      config,
      gateways: services.gateways,
      tokens: oauthTokens,
      states: oauthStates,
      clients: oauthClients,
      fetch: safeFetch,
      logger,
    });
    const credentials = new UpstreamCredentials(config, services.gateways, oauth);
    const baseUrl = baseUrlResolver(config);
    const scopes = parseList(config.OAUTH_PROTECTED_RESOURCE_SCOPES);
    const validator = new ToolArgumentValidator();
    const authorizer = new RequestAuthorizer({
      catalog,
      services,
      teams,
      guard,
      validator,
      credentials,
      audit,
      metadataUrl: (c) => `${baseUrl(c)}/.well-known/oauth-protected-resource`,
      scopes,
    });
    const middleware = authMiddleware({ config, authenticator, rateLimits, audit, baseUrl, scopes });
    const authorizationServers = () => [...registry.externalVerifiers.keys()];
    const mcp = new McpAccess({ config, authenticator, catalog, services, rateLimits, scopes });

    // Housekeeping: expired revocations, states and counters, and audit retention (idempotent on every replica).
    const purge = setInterval(() => {
      const now = Date.now();
      void Promise.allSettled([
        revocation.purge(),
        oauthStates.purge(now),
        failures.purge(now - 3_600_000),
        ...(auditSink && config.AUDIT_RETENTION_DAYS > 0
          ? [auditSink.purge(now - config.AUDIT_RETENTION_DAYS * 86_400_000)]
          : []),
      ]);
    }, 10 * 60_000);
    purge.unref();
    timers.push(purge);

    const actor = (c: Context): Actor => {
      const p = principalIfAny(c);
      if (!p) return { user: null, via: 'api', visibleTo: { email: null, teams: [] } };
      const visibleTo = visibilityFor(p);
      return {
        user: p.authMethod === 'anonymous' ? null : (p.email ?? p.subject),
        via: 'api',
        ...(visibleTo ? { visibleTo } : {}),
      };
    };

    return {
      middleware,
      hooks: { authorize: authorizer.authorize, authorizeRequest: authorizer.authorizeRequest, actor },
      bootstrap,
      routes: () => [
        ...authRoutes({ config, sessions, users: userService, guard: loginGuard, auditSink, audit }),
        ...teamRoutes(teamService, new TeamInvitationService(deps, teamService)),
        ...tokenRoutes(tokenService, catalog),
        ...rbacRoutes(roleService, catalog, enricher),
        ...ssoRoutes({ login: ssoLogin, registry, store: ssoStore, bus, audit, baseUrl }),
        ...oauthRoutes({
          oauth,
          tokens: oauthTokens,
          clients: oauthClients,
          services,
          roles: () => catalog.map,
          audit,
          baseUrl,
        }),
        ...protectedResourceRoutes({ services, baseUrl, authorizationServers, scopes }),
        ...auditRoutes(auditSink),
      ],
      authenticateNode: (headers, remoteAddress, request) =>
        mcp.authenticate(headers, remoteAddress, request),
      authorizeMcp: (principal, scope, permission, target) =>
        mcp.authorize(principal, scope, permission, target),
      visibility: visibilityFor,
      canSee,
      assertToolArguments: (tool, args) => validator.assertValid(tool.input_schema, args, tool.name),
      upstreamAuth: (id, p, incoming) => credentials.forGateway(id, p, incoming as Headers | undefined),
      onUpstreamUnauthorized: (id, p, stale) => credentials.onUpstreamUnauthorized(id, p, stale),
      credentials,
      ssrfGuard: guard,
      ssrfDispatcher: dispatcher,
      ssrfConnector: createSsrfConnector(guard),
      safeFetch,
      checkRateLimit: (principal, remoteAddress) => mcp.checkRateLimit(principal, remoteAddress),
      async mintToken(options) {
        if (!options.session) return issuer.mint(options);
        // Session tokens are tied to the user's current password (see SessionService.open).
        const user = await users.find(options.subject.trim().toLowerCase());
        const pwd = user?.password_changed_at ? { pwd_at: user.password_changed_at } : {};
        return issuer.mint({ ...options, data: { ...options.data, ...pwd } });
      },
      revokeJwt: (jti, expiresAt, by) => sessions.revokeJwt(jti, expiresAt, by, 'revoked'),
      revokeCredential: (value, by) =>
        revokeCredential(value, by, { apiTokens: apiTokenStore, hasher, sessions, bus, audit }),
      invalidateToken: (id) => bus.publish({ kind: 'token', id }),
      invalidateSubject: (email) => bus.publish({ kind: 'subject', id: email }),
      invalidateRoles: () => bus.publish({ kind: 'roles' }),
      users: userService,
      teams: teamService,
      roles: roleService,
      tokens: tokenService,
      audit,
      async close() {
        for (const t of timers) clearInterval(t);
        for (const close of closers.reverse()) await close().catch(() => undefined);
      },
    };
  }
}
