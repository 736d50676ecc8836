import { decodeJwt } from 'jose';
import { SecurityError } from '../../errors.js';
import type { JwtVerifier } from '../../jwt/jwt-verifier.js';
import { isAdminClaim, restrictionsFromClaims, teamScopeFromClaims } from '../../jwt/team-claims.js';
import { type AuthRequest, bearerToken, cookieValue } from '../auth-request.js';
import type { AuthOutcome, AuthStrategy } from '../auth-strategy.js';
import type { Principal } from '../principal.js';

/** Options of {@link JwtBearerStrategy}. */
export interface JwtBearerStrategyOptions {
  verifier: JwtVerifier;
  /** Header carrying `Bearer <jwt>` [AUTH_HEADER_NAME]; default `Authorization`. */
  headerName?: string;
  /** Cookie carrying a session JWT (admin UI), e.g. `jwt_token`; default none. */
  cookieName?: string;
  /** `authMethod` reported (`sso` for tokens of an external IdP); default `jwt`. */
  authMethod?: 'jwt' | 'sso';
  /**
   * Tokens of other issuers accepted on the same header (an external IdP acting as the MCP endpoints'
   * authorization server, SSO_API_TOKEN_AUTH_ENABLED), by exact `iss`. Tokens whose `iss` is not listed
   * go to `verifier`, which checks its own issuer.
   */
  externalIssuers?: ReadonlyMap<string, JwtVerifier>;
}

/** JWT bearer tokens (and optionally a session cookie), interpreted with ContextForge's claim semantics. */
export class JwtBearerStrategy implements AuthStrategy {
  readonly name: string;
  readonly #o: JwtBearerStrategyOptions;
  readonly #header: string;

  constructor(options: JwtBearerStrategyOptions) {
    this.#o = options;
    this.#header = options.headerName ?? 'authorization';
    this.name = options.authMethod ?? 'jwt';
  }

  extract(req: AuthRequest): string | undefined {
    const token = bearerToken(req.header(this.#header));
    // JWS compact form has exactly two dots; anything else belongs to another strategy (API tokens).
    if (token !== undefined) return isJwtShaped(token) ? token : undefined;
    if (!this.#o.cookieName) return undefined;
    const c = cookieValue(req.header('cookie'), this.#o.cookieName);
    return c && isJwtShaped(c) ? c : undefined;
  }

  async authenticate(credential: string): Promise<AuthOutcome> {
    const external = this.#external(credential);
    const v = await (external ?? this.#o.verifier).verify(credential);
    const claims = v.payload;
    const restrictions = restrictionsFromClaims(claims);
    const email =
      typeof claims.email === 'string' ? claims.email : v.subject.includes('@') ? v.subject : undefined;
    const principal: Principal = Object.freeze({
      subject: v.subject,
      ...(email ? { email } : {}),
      authMethod: external ? 'sso' : (this.#o.authMethod ?? 'jwt'),
      isAdmin: isAdminClaim(claims),
      teams: teamScopeFromClaims(claims),
      roles: [],
      ...(restrictions ? { restrictions } : {}),
      ...(v.jti ? { tokenId: v.jti } : {}),
      ...(v.expiresAt ? { expiresAt: v.expiresAt } : {}),
      claims,
    });
    return { principal };
  }

  #external(token: string): JwtVerifier | undefined {
    const issuers = this.#o.externalIssuers;
    if (!issuers || issuers.size === 0) return undefined;
    let iss: unknown;
    try {
      // Unverified read, only to pick the verifier; that verifier then checks signature and issuer.
      iss = decodeJwt(token).iss;
    } catch (cause) {
      throw new SecurityError('TOKEN_INVALID', 'invalid token: malformed token', {
        details: { reason: 'malformed' },
        cause,
      });
    }
    return typeof iss === 'string' ? issuers.get(iss) : undefined;
  }
}

function isJwtShaped(token: string): boolean {
  const first = token.indexOf('.');
  return first > 0 && token.indexOf('.', first + 1) > first && token.split('.').length === 3;
}
