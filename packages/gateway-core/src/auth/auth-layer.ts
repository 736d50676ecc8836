import type { IncomingHttpHeaders } from 'node:http';
import type { Context, MiddlewareHandler } from 'hono';
import { Redis } from 'ioredis';
import type { buildConnector, Dispatcher } from 'undici';
import type { GatewayConfig } from '../config/settings.js';
import type { SecretBox } from '../crypto/secret-box.js';
import type { GatewayDatabase } from '../db/connect-database.js';
import { GatewayError } from '../errors.js';
import type { GatewayServices } from '../gateway.js';
import type { GatewayHooks } from '../http/hooks.js';
import type { RouteDef } from '../http/route-def.js';
import type { GatewayLogger } from '../observability/logger.js';
import { redactUrl } from '../observability/logger.js';
import type { Actor } from '../registry/common/actor.js';
import type { ListFilter } from '../registry/common/pagination.js';
import type { VisibilityFields } from '../registry/common/visibility.js';
import { isApiTokenFormat } from '../security/api-tokens/api-token-format.js';
import { ApiTokenHasher } from '../security/api-tokens/api-token-hasher.js';
import { ApiTokenService } from '../security/api-tokens/api-token-service.js';
import { LastUsedTracker } from '../security/api-tokens/last-used-tracker.js';
import { authRequestFromNodeHeaders } from '../security/authn/auth-request.js';
import type { Principal } from '../security/authn/principal.js';
import { SecurityError } from '../security/errors.js';
import type { RateLimitStore } from '../security/http/rate-limit/rate-limit-store.js';
import { MemoryRateLimitStore } from '../security/http/rate-limit/rate-limit-store.js';
import { RedisRateLimitStore } from '../security/http/rate-limit/redis-rate-limit-store.js';
import { decodeToken } from '../security/jwt/decode-token.js';
import { JwksCache } from '../security/jwt/jwks-cache.js';
import { protectedResourceMetadataUrl } from '../security/oauth/protected-resource-metadata.js';
import { assertAudience } from '../security/oauth/resource-indicator.js';
import { LoginGuard } from '../security/passwords/login-guard.js';
import { PasswordHasher } from '../security/passwords/password-hasher.js';
import type { PasswordPolicy } from '../security/passwords/password-policy.js';
import { assertPermission } from '../security/rbac/permission-checker.js';
import { createSsrfConnector, createSsrfSafeDispatcher } from '../security/ssrf/safe-dispatcher.js';
import { createSafeFetch, type FetchLike } from '../security/ssrf/safe-fetch.js';
import { SsrfGuard } from '../security/ssrf/ssrf-guard.js';
import { createSsrfPolicy } from '../security/ssrf/ssrf-policy.js';
import { ToolArgumentValidator } from '../security/validation/tool-argument-validator.js';
import { AuthBus, type AuthInvalidation } from './authn/auth-bus.js';
import { Authenticator, withChallenge } from './authn/authenticator.js';
import { PrincipalEnricher } from './authn/principal-enricher.js';
import { type MintOptions, TokenIssuer } from './authn/token-issuer.js';
import { type GuardedEntity, guardEntity } from './authz/entity-guard.js';
import { RequestAuthorizer } from './authz/request-authorizer.js';
import { ANONYMOUS_DEV_PRINCIPAL, RoleCatalog } from './authz/role-catalog.js';
import { canSee, visibilityFor } from './authz/visibility.js';
import { parseList } from './config/parse-list.js';
import { authMiddleware } from './http/auth-middleware.js';
import { principalIfAny } from './http/request-context.js';
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
import { type BootstrapResult, bootstrapAuth } from './services/bootstrap.js';
import { RoleService } from './services/role-service.js';
import { SessionService } from './services/session-service.js';
import { SsoLoginService } from './services/sso-login-service.js';
import { SsoRegistry } from './services/sso-registry.js';
import { TeamService } from './services/team-service.js';
import { TokenService } from './services/token-service.js';
import { UpstreamCredentials, type UpstreamRequestAuth } from './services/upstream-credentials.js';
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

/** What {@link createAuthLayer} needs from the gateway. */
export interface CreateAuthLayerOptions {
  config: GatewayConfig;
  database: GatewayDatabase;
  box: SecretBox;
  services: GatewayServices;
  logger: GatewayLogger;
  /**
   * Create the platform administrator at start when missing (default true). Command-line tools pass false:
   * a password generated there would never be shown.
   */
  bootstrapAdmin?: boolean;
}

/** An MCP request scope, as the MCP engine names it. */
export type McpScope = { kind: 'server'; serverId: string } | { kind: 'all' };

/**
 * The security layer of a gateway, built once at start (see src/auth/README.md for how the MCP engine and
 * the invoke pipeline use it).
 */
export interface AuthLayer {
  /** Hono middleware to install on the app before any route, in this order. */
  readonly middleware: MiddlewareHandler[];
  /** `authorize`, `authorizeRequest` and `actor` hooks for the declared routes. */
  readonly hooks: GatewayHooks;
  /** The layer's own declared routes (auth, users, teams, tokens, RBAC, SSO, OAuth, audit, RFC 9728). */
  routes(): RouteDef[];
  /** What start-up did about the bootstrap administrator (a generated password is shown once). */
  readonly bootstrap: BootstrapResult;
  /**
   * The MCP engine's `authenticate` hook: resolves the caller of an MCP request from its headers (bearer
   * JWT or API token; never cookies), answers 401 with an RFC 9728 challenge, and checks the audience of
   * external (SSO) tokens against the endpoint (RFC 8707). `path` is the request path (`/mcp`,
   * `/servers/{id}/mcp`, …).
   */
  authenticateNode(
    headers: IncomingHttpHeaders | Record<string, string | string[] | undefined>,
    remoteAddress: string | undefined,
    request?: { path?: string },
  ): Promise<Principal>;
  /**
   * Authorizes an MCP action: the virtual server of a `server` scope must be visible with `servers.use`;
   * then `permission` (`tools.read` for lists, `tools.execute`, `resources.read`, `prompts.execute`, …),
   * checked against `target` (visibility + its team) when given.
   * @throws SecurityError FORBIDDEN / SCOPE_DENIED (403), GatewayError NOT_FOUND (invisible or missing)
   */
  authorizeMcp(
    principal: Principal,
    scope: McpScope,
    permission: string,
    target?: GuardedEntity,
  ): Promise<void>;
  /** The registries' list filter for a principal (undefined = sees everything). */
  visibility(principal: Principal): ListFilter['visibleTo'];
  /** True when the principal may see the entity. */
  canSee(principal: Principal, entity: VisibilityFields): boolean;
  /**
   * Credentials for a call to an upstream gateway on behalf of `principal` (static, passthrough, query
   * parameter or OAuth). See {@link UpstreamCredentials}.
   */
  upstreamAuth(
    gatewayId: string,
    principal: Principal,
    incoming?: Headers | IncomingHttpHeaders,
  ): Promise<UpstreamRequestAuth>;
  /** After an upstream 401 to `staleToken`: a refreshed OAuth token, or undefined. */
  onUpstreamUnauthorized(
    gatewayId: string,
    principal: Principal,
    staleToken: string,
  ): Promise<string | undefined>;
  /**
   * Validates `tools/call` arguments against the tool's input schema (compiled once, cached).
   * @throws SecurityError VALIDATION_FAILED (422; JSON-RPC -32602 at the MCP edge) naming the field
   */
  assertToolArguments(tool: { name: string; input_schema: unknown }, args: unknown): void;
  /** Credential builder (REST tools pass their own stored auth to `build`). */
  readonly credentials: UpstreamCredentials;
  /** SSRF guard of every outbound URL. */
  readonly ssrfGuard: SsrfGuard;
  /** undici dispatcher whose connections are SSRF-checked at connect time (pass to upstream transports). */
  readonly ssrfDispatcher: Dispatcher;
  /** The same check as an undici connector (`createUpstreamPool({ connect: auth.ssrfConnector })`). */
  readonly ssrfConnector: buildConnector.connector;
  /** A `fetch` that checks every URL and redirect (REST tools, OAuth, JWKS). */
  readonly safeFetch: FetchLike;
  /**
   * Counts one MCP request against the rate limits (medium tier) of the client address, user and token.
   * @throws SecurityError RATE_LIMITED (429, Retry-After)
   */
  checkRateLimit(principal: Principal, remoteAddress: string | undefined): Promise<void>;
  /** Signs a gateway JWT (CLI, tests). */
  mintToken(options: MintOptions): Promise<string>;
  /** Revokes a gateway JWT by `jti` on every replica. */
  revokeJwt(jti: string, expiresAt: number | null, by?: string): Promise<void>;
  /**
   * Revokes a credential given as a JWT, an API token (`cfk_…`), an API token id or a JWT `jti`
   * (`contextforge token revoke`), on every replica.
   * @returns what was revoked
   */
  revokeCredential(value: string, by?: string): Promise<{ kind: 'jwt' | 'api_token'; id: string }>;
  /** Forget cached verifications of a token (API token id or JWT jti) on every replica. */
  invalidateToken(id: string): Promise<void>;
  /** Forget cached verifications of a user (roles, teams, activation changed) on every replica. */
  invalidateSubject(email: string): Promise<void>;
  /** Re-read custom roles on every replica. */
  invalidateRoles(): Promise<void>;
  /** The account services (CLI, embedders). */
  readonly users: UserService;
  readonly teams: TeamService;
  readonly roles: RoleService;
  readonly tokens: TokenService;
  /** Writes an audit event. */
  readonly audit: AuditRecorder;
  /** Flushes buffered writes and releases timers and connections. */
  close(): Promise<void>;
}

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
        ...teamRoutes(teamService),
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
      async authenticateNode(headers, remoteAddress, request) {
        const h = headers as IncomingHttpHeaders;
        const host = (Array.isArray(h.host) ? h.host[0] : h.host) ?? 'localhost';
        const base = config.APP_DOMAIN?.replace(/\/+$/, '') ?? `http://${host}`;
        const path = request?.path?.split('?')[0] ?? '/mcp';
        const resource = `${base}${path}`;
        const challenge = (e: unknown) => withChallenge(e, protectedResourceMetadataUrl(resource), scopes);
        let p: Principal;
        try {
          p = await authenticator.resolveMcp(authRequestFromNodeHeaders(h, remoteAddress ?? ''));
        } catch (error) {
          throw challenge(error);
        }
        if (p.authMethod === 'anonymous') {
          if (config.AUTH_REQUIRED)
            throw challenge(new SecurityError('UNAUTHENTICATED', 'authentication required'));
          return ANONYMOUS_DEV_PRINCIPAL;
        }
        if (p.authMethod === 'sso') {
          try {
            assertAudience(p.claims?.aud, [resource, `${base}/mcp`]);
          } catch (error) {
            throw challenge(error);
          }
        }
        return p;
      },
      async authorizeMcp(principal, scope, permission, target) {
        const map = catalog.map;
        const serverId = scope.kind === 'server' ? scope.serverId : undefined;
        const limited = principal.restrictions?.serverIds;
        if (serverId === undefined && limited && limited.length > 0) {
          // A credential limited to some servers may not use the endpoint that spans all of them.
          throw new SecurityError(
            'SCOPE_DENIED',
            `token scope is limited to servers ${limited.map((s) => `'${s}'`).join(', ')}: use /servers/{id}/mcp`,
            {
              details: { permission, reason: 'token-server' },
            },
          );
        }
        if (serverId !== undefined) {
          const server = await services.servers.get(serverId);
          guardEntity(map, principal, 'servers.use', server, 'server', serverId);
        }
        if (target)
          guardEntity(
            map,
            principal,
            permission,
            target,
            permission.split('.')[0]!.replace(/s$/, ''),
            serverId,
          );
        else assertPermission(map, principal, permission, serverId === undefined ? {} : { serverId });
      },
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
      async checkRateLimit(principal, remoteAddress) {
        if (!rateLimits) return;
        const rule = {
          limit: config.RATE_LIMIT_API_PER_MINUTE,
          windowMs: 60_000,
          burst: Math.ceil(config.RATE_LIMIT_API_PER_MINUTE / 5),
        };
        const keys = [
          ...(remoteAddress ? [`mcp:ip:${remoteAddress}`] : []),
          ...(principal.authMethod !== 'anonymous' ? [`mcp:user:${principal.subject}`] : []),
          ...(principal.tokenId ? [`mcp:token:${principal.tokenId}`] : []),
        ];
        for (const key of keys) {
          const d = await rateLimits.hit(key, rule);
          if (!d.allowed) {
            const seconds = Math.max(1, Math.ceil(d.retryAfterMs / 1000));
            throw new SecurityError(
              'RATE_LIMITED',
              `rate limit exceeded (${rule.limit} MCP requests per minute)`,
              {
                details: { retryAfterSeconds: seconds },
                headers: { 'Retry-After': String(seconds) },
              },
            );
          }
        }
      },
      async mintToken(options) {
        if (!options.session) return issuer.mint(options);
        // Session tokens are tied to the user's current password (see SessionService.open).
        const user = await users.find(options.subject.trim().toLowerCase());
        const pwd = user?.password_changed_at ? { pwd_at: user.password_changed_at } : {};
        return issuer.mint({ ...options, data: { ...options.data, ...pwd } });
      },
      revokeJwt: (jti, expiresAt, by) => sessions.revokeJwt(jti, expiresAt, by, 'revoked'),
      async revokeCredential(value, by) {
        const text = value.trim();
        const apiToken = isApiTokenFormat(text)
          ? await apiTokenStore.findByHash(hasher.hash(text))
          : await apiTokenStore.get(text);
        if (apiToken) {
          await apiTokenStore.revokeWithReason(apiToken.id, Date.now(), by, 'revoked from the command line');
          await bus.publish({ kind: 'token', id: apiToken.id });
          audit.record(
            { subject: by ?? 'cli' },
            { action: 'token.revoked', target: { type: 'api_token', id: apiToken.id } },
          );
          return { kind: 'api_token', id: apiToken.id };
        }
        if (text.startsWith('cfk_')) throw new GatewayError('NOT_FOUND', 'no such API token');
        let jti = text;
        let expiresAt: number | null = null;
        if (text.split('.').length === 3) {
          const decoded = decodeToken(text);
          if (typeof decoded.payload.jti !== 'string')
            throw new GatewayError('BAD_REQUEST', 'this JWT has no jti and cannot be revoked');
          jti = decoded.payload.jti;
          expiresAt = decoded.expiresAt?.getTime() ?? null;
        }
        await sessions.revokeJwt(jti, expiresAt, by, 'revoked from the command line');
        return { kind: 'jwt', id: jti };
      },
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
