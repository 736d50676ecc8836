import type { IncomingHttpHeaders } from 'node:http';
import type { MiddlewareHandler } from 'hono';
import type { buildConnector, Dispatcher } from 'undici';
import type { GatewayConfig } from '../config/settings.js';
import type { SecretBox } from '../crypto/secret-box.js';
import type { GatewayDatabase } from '../db/connect-database.js';
import type { GatewayServices } from '../gateway.js';
import type { GatewayHooks } from '../http/hooks.js';
import type { RouteDef } from '../http/route-def.js';
import type { GatewayLogger } from '../observability/logger.js';
import type { ListFilter } from '../registry/common/pagination.js';
import type { VisibilityFields } from '../registry/common/visibility.js';
import type { Principal } from '../security/authn/principal.js';
import type { FetchLike } from '../security/ssrf/safe-fetch.js';
import type { SsrfGuard } from '../security/ssrf/ssrf-guard.js';
import type { MintOptions } from './authn/token-issuer.js';
import type { GuardedEntity } from './authz/entity-guard.js';
import type { AuditRecorder } from './services/audit-recorder.js';
import type { BootstrapResult } from './services/bootstrap.js';
import type { RoleService } from './services/role-service.js';
import type { TeamService } from './services/team-service.js';
import type { TokenService } from './services/token-service.js';
import type { UpstreamCredentials, UpstreamRequestAuth } from './services/upstream-credentials.js';
import type { UserService } from './services/user-service.js';

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
