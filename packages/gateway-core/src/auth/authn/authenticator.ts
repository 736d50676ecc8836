import type { GatewayConfig } from '../../config/settings.js';
import type { ApiTokenService } from '../../security/api-tokens/api-token-service.js';
import type { AuthRequest } from '../../security/authn/auth-request.js';
import { AuthResolver } from '../../security/authn/auth-resolver.js';
import type { AuthStrategy } from '../../security/authn/auth-strategy.js';
import type { Principal } from '../../security/authn/principal.js';
import { ApiTokenStrategy } from '../../security/authn/strategies/api-token-strategy.js';
import {
  BasicAuthStrategy,
  staticBasicCredentials,
} from '../../security/authn/strategies/basic-auth-strategy.js';
import { JwtBearerStrategy } from '../../security/authn/strategies/jwt-bearer-strategy.js';
import { isSecurityError, SecurityError } from '../../security/errors.js';
import type { JwtVerifier } from '../../security/jwt/jwt-verifier.js';
import { buildWwwAuthenticate } from '../../security/oauth/www-authenticate.js';
import type { AuthBus } from './auth-bus.js';
import type { PrincipalEnricher } from './principal-enricher.js';

/** Options of {@link Authenticator}. */
export interface AuthenticatorOptions {
  config: GatewayConfig;
  /** Verifier of the gateway's own JWTs. */
  verifier: JwtVerifier;
  apiTokens: ApiTokenService;
  enricher: PrincipalEnricher;
  /** External issuers accepted as bearer tokens (SSO_API_TOKEN_AUTH_ENABLED), read at each rebuild. */
  externalIssuers: () => ReadonlyMap<string, JwtVerifier>;
  bus: AuthBus;
}

/**
 * Resolves callers: one resolver for the REST/admin API (JWT bearer or `jwt_token` session cookie, API
 * tokens, and HTTP Basic when API_ALLOW_BASIC_AUTH) and one for MCP endpoints (bearer only: no cookie, so
 * a browser cannot be tricked into calling tools, and no Basic). Both cache verified credentials for
 * AUTH_CACHE_USER_TTL seconds and forget them at once on invalidations from the {@link AuthBus}.
 */
export class Authenticator {
  #rest!: AuthResolver;
  #mcp!: AuthResolver;

  constructor(private readonly o: AuthenticatorOptions) {
    this.rebuild();
    o.bus.on((m) => {
      if (m.kind === 'token') this.#each((r) => r.invalidateToken(m.id));
      else if (m.kind === 'subject') this.#each((r) => r.invalidateSubject(m.id));
      else if (m.kind === 'providers') this.rebuild();
      else if (m.kind === 'all') this.#each((r) => r.clearCache());
    });
  }

  /** Rebuilds both resolvers (after the set of external issuers changed), dropping their caches. */
  rebuild(): void {
    const c = this.o.config;
    const external = this.o.externalIssuers();
    const jwt = (cookie: boolean) =>
      new JwtBearerStrategy({
        verifier: this.o.verifier,
        headerName: c.AUTH_HEADER_NAME,
        ...(cookie ? { cookieName: 'jwt_token' } : {}),
        ...(external.size > 0 ? { externalIssuers: external } : {}),
      });
    const apiToken = new ApiTokenStrategy({ service: this.o.apiTokens, headerName: c.AUTH_HEADER_NAME });
    const rest: AuthStrategy[] = [jwt(true), apiToken];
    if (c.API_ALLOW_BASIC_AUTH && c.BASIC_AUTH_PASSWORD) {
      const admin: Principal = Object.freeze({
        subject: c.BASIC_AUTH_USER,
        authMethod: 'basic',
        isAdmin: true,
        teams: Object.freeze({ kind: 'admin-bypass' }),
        roles: Object.freeze([]),
      });
      rest.push(
        new BasicAuthStrategy(staticBasicCredentials(c.BASIC_AUTH_USER, c.BASIC_AUTH_PASSWORD, admin)),
      );
    }
    const common = {
      enrich: (p: Principal) => this.o.enricher.enrich(p),
      authRequired: false, // missing credentials are decided per route (public routes, AUTH_REQUIRED)
      cacheTtlMs: c.AUTH_CACHE_USER_TTL * 1000,
      cacheMaxEntries: c.AUTH_CACHE_USER_TTL > 0 ? 10_000 : 0,
    };
    this.#rest = new AuthResolver({ strategies: rest, ...common });
    this.#mcp = new AuthResolver({ strategies: [jwt(false), apiToken], ...common });
  }

  /** The caller of a REST/admin request (anonymous when it carries no credential). */
  resolveRest(req: AuthRequest): Promise<Principal> {
    return this.#rest.resolve(req);
  }

  /** The caller of an MCP request (anonymous when it carries no credential). */
  resolveMcp(req: AuthRequest): Promise<Principal> {
    return this.#mcp.resolve(req);
  }

  /** Cached credentials (both resolvers). */
  get cacheSize(): number {
    return this.#rest.cacheSize + this.#mcp.cacheSize;
  }

  #each(f: (r: AuthResolver) => void): void {
    f(this.#rest);
    f(this.#mcp);
  }
}

/**
 * Adds a `WWW-Authenticate: Bearer resource_metadata=…, scope=…` challenge (RFC 6750 §3, RFC 9728 §5.1) to
 * a 401 SecurityError; other errors pass unchanged.
 */
export function withChallenge(error: unknown, resourceMetadata: string, scopes: readonly string[]): unknown {
  if (!isSecurityError(error) || error.status !== 401) return error;
  return new SecurityError(error.code, error.message, {
    ...(error.field === undefined ? {} : { field: error.field }),
    ...(error.details === undefined ? {} : { details: error.details }),
    headers: {
      ...error.headers,
      'WWW-Authenticate': buildWwwAuthenticate({ resourceMetadata, scope: scopes, error }),
    },
    cause: error,
  });
}
