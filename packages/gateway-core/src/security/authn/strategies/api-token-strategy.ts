import { API_TOKEN_PREFIX } from '../../api-tokens/api-token-format.js';
import {
  type ApiTokenService,
  checkApiTokenIp,
  type VerifiedApiToken,
} from '../../api-tokens/api-token-service.js';
import { type AuthRequest, bearerToken } from '../auth-request.js';
import type { AuthOutcome, AuthStrategy } from '../auth-strategy.js';
import type { Principal } from '../principal.js';

/** Options of {@link ApiTokenStrategy}. */
export interface ApiTokenStrategyOptions {
  service: ApiTokenService;
  /** Header carrying `Bearer cfk_…`; default `Authorization`. */
  headerName?: string;
  /** Also accept the raw token in this header (e.g. `X-API-Key`); default none. */
  apiKeyHeader?: string;
}

/**
 * Gateway API tokens (`cfk_…`). The principal acts for the token's owner, limited to the token's team
 * (when set), servers and permissions; the IP restriction is checked on every request, cached or not.
 * Team-less tokens start public-only: the resolver's `enrich` hook widens them to the owner's teams.
 */
export class ApiTokenStrategy implements AuthStrategy {
  readonly name = 'api_token';
  readonly #o: ApiTokenStrategyOptions;
  readonly #header: string;

  constructor(options: ApiTokenStrategyOptions) {
    this.#o = options;
    this.#header = options.headerName ?? 'authorization';
  }

  extract(req: AuthRequest): string | undefined {
    const t = bearerToken(req.header(this.#header));
    if (t?.startsWith(API_TOKEN_PREFIX)) return t;
    if (t === undefined && this.#o.apiKeyHeader) {
      const k = req.header(this.#o.apiKeyHeader)?.trim();
      if (k?.startsWith(API_TOKEN_PREFIX)) return k;
    }
    return undefined;
  }

  async authenticate(credential: string): Promise<AuthOutcome> {
    const v = await this.#o.service.verify(credential);
    const s = v.scope;
    const restricted = (s.serverIds && s.serverIds.length > 0) || (s.permissions && s.permissions.length > 0);
    const principal: Principal = Object.freeze({
      subject: v.ownerEmail,
      email: v.ownerEmail,
      authMethod: 'api_token',
      isAdmin: false,
      teams: v.teamId
        ? Object.freeze({ kind: 'teams', teamIds: Object.freeze([v.teamId]) })
        : Object.freeze({ kind: 'public-only' }),
      roles: [],
      ...(restricted
        ? {
            restrictions: Object.freeze({ serverIds: s.serverIds ?? null, permissions: s.permissions ?? [] }),
          }
        : {}),
      tokenId: v.id,
      ...(v.expiresAt !== null ? { expiresAt: v.expiresAt } : {}),
    });
    return { principal, state: v };
  }

  recheck(outcome: AuthOutcome, req: AuthRequest): void {
    const v = outcome.state as VerifiedApiToken;
    checkApiTokenIp(v, req.remoteAddress);
    this.#o.service.touch(v.id);
  }
}
