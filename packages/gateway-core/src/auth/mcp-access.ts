import type { IncomingHttpHeaders } from 'node:http';
import type { GatewayConfig } from '../config/settings.js';
import type { GatewayServices } from '../gateway.js';
import { authRequestFromNodeHeaders } from '../security/authn/auth-request.js';
import type { Principal } from '../security/authn/principal.js';
import { SecurityError } from '../security/errors.js';
import type { RateLimitStore } from '../security/http/rate-limit/rate-limit-store.js';
import { protectedResourceMetadataUrl } from '../security/oauth/protected-resource-metadata.js';
import { assertAudience } from '../security/oauth/resource-indicator.js';
import { assertPermission } from '../security/rbac/permission-checker.js';
import type { McpScope } from './auth-layer-types.js';
import { type Authenticator, withChallenge } from './authn/authenticator.js';
import { type GuardedEntity, guardEntity } from './authz/entity-guard.js';
import { ANONYMOUS_DEV_PRINCIPAL, type RoleCatalog } from './authz/role-catalog.js';

/** What {@link McpAccess} needs. */
export interface McpAccessOptions {
  config: GatewayConfig;
  authenticator: Authenticator;
  catalog: RoleCatalog;
  services: GatewayServices;
  rateLimits: RateLimitStore | undefined;
  scopes: readonly string[];
}

/**
 * The MCP endpoints' side of the security layer: authentication of raw `node:http` requests (the MCP
 * engine's hook) with RFC 9728 challenges and RFC 8707 audience checks, per-method authorization with
 * visibility, and the MCP rate limit (medium tier).
 */
export class McpAccess {
  constructor(private readonly o: McpAccessOptions) {}

  /** See `AuthLayer.authenticateNode`. */
  async authenticate(
    headers: IncomingHttpHeaders | Record<string, string | string[] | undefined>,
    remoteAddress: string | undefined,
    request?: { path?: string },
  ): Promise<Principal> {
    const h = headers as IncomingHttpHeaders;
    const host = (Array.isArray(h.host) ? h.host[0] : h.host) ?? 'localhost';
    const base = this.o.config.APP_DOMAIN?.replace(/\/+$/, '') ?? `http://${host}`;
    const path = request?.path?.split('?')[0] ?? '/mcp';
    const resource = `${base}${path}`;
    const challenge = (e: unknown) => withChallenge(e, protectedResourceMetadataUrl(resource), this.o.scopes);
    let p: Principal;
    try {
      p = await this.o.authenticator.resolveMcp(authRequestFromNodeHeaders(h, remoteAddress ?? ''));
    } catch (error) {
      throw challenge(error);
    }
    if (p.authMethod === 'anonymous') {
      if (this.o.config.AUTH_REQUIRED)
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
  }

  /** See `AuthLayer.authorizeMcp`. */
  async authorize(
    principal: Principal,
    scope: McpScope,
    permission: string,
    target?: GuardedEntity,
  ): Promise<void> {
    const map = this.o.catalog.map;
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
      const server = await this.o.services.servers.get(serverId);
      guardEntity(map, principal, 'servers.use', server, 'server', serverId);
    }
    if (target)
      guardEntity(map, principal, permission, target, permission.split('.')[0]!.replace(/s$/, ''), serverId);
    else assertPermission(map, principal, permission, serverId === undefined ? {} : { serverId });
  }

  /** See `AuthLayer.checkRateLimit`. */
  async checkRateLimit(principal: Principal, remoteAddress: string | undefined): Promise<void> {
    if (!this.o.rateLimits) return;
    const rule = {
      limit: this.o.config.RATE_LIMIT_API_PER_MINUTE,
      windowMs: 60_000,
      burst: Math.ceil(this.o.config.RATE_LIMIT_API_PER_MINUTE / 5),
    };
    const keys = [
      ...(remoteAddress ? [`mcp:ip:${remoteAddress}`] : []),
      ...(principal.authMethod !== 'anonymous' ? [`mcp:user:${principal.subject}`] : []),
      ...(principal.tokenId ? [`mcp:token:${principal.tokenId}`] : []),
    ];
    for (const key of keys) {
      const d = await this.o.rateLimits.hit(key, rule);
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
  }
}
