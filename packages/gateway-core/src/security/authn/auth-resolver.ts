import { createHash } from 'node:crypto';
import { isSecurityError, SecurityError } from '../errors.js';
import { AuthCache } from './auth-cache.js';
import type { AuthRequest } from './auth-request.js';
import type { AuthOutcome, AuthStrategy } from './auth-strategy.js';
import { ANONYMOUS_PRINCIPAL, type Principal } from './principal.js';

/** Options of {@link AuthResolver}. */
export interface AuthResolverOptions {
  /** Strategies in priority order. */
  strategies: readonly AuthStrategy[];
  /**
   * Completes a freshly verified principal from storage: RBAC roles, `isAdmin`, and for session tokens
   * and team-less API tokens the DB-authoritative team list (ContextForge: "the DB is authoritative and
   * the claim only narrows"). Runs on cache misses only. May throw (e.g. `UNAUTHENTICATED` for a
   * deactivated user).
   */
  enrich?: (principal: Principal) => Promise<Principal>;
  /** Refuse requests without credentials [AUTH_REQUIRED]; default true. When false they are anonymous (public only). */
  authRequired?: boolean;
  /** Cache size; default 10 000 entries. 0 disables caching. */
  cacheMaxEntries?: number;
  /** Cache lifetime of a verified credential; default 30 s (bounds how long an out-of-band change can go unseen). */
  cacheTtlMs?: number;
  /** Builds the `WWW-Authenticate` challenge for 401 answers (see `buildWwwAuthenticate`). */
  challenge?: (error: SecurityError) => string;
  now?: () => number;
}

/**
 * Resolves each request's {@link Principal} once: picks the strategy that recognises the credential,
 * verifies it (or serves it from a bounded cache keyed by a SHA-256 of the credential, kept no longer
 * than the credential's own expiry), runs per-request rechecks (IP restrictions) even on cache hits, and
 * exposes invalidation for revocations and user changes. In a multi-replica deployment, broadcast
 * revocations (Redis pub/sub) and call {@link invalidateToken}/{@link invalidateSubject} on every replica;
 * the short TTL bounds staleness otherwise.
 */
export class AuthResolver {
  readonly #strategies: readonly AuthStrategy[];
  readonly #enrich: ((p: Principal) => Promise<Principal>) | undefined;
  readonly #authRequired: boolean;
  readonly #cache: AuthCache | undefined;
  readonly #ttl: number;
  readonly #challenge: ((e: SecurityError) => string) | undefined;
  readonly #now: () => number;
  readonly #inflight = new Map<string, Promise<AuthOutcome>>();

  constructor(options: AuthResolverOptions) {
    this.#strategies = options.strategies;
    this.#enrich = options.enrich;
    this.#authRequired = options.authRequired ?? true;
    const max = options.cacheMaxEntries ?? 10_000;
    this.#cache = max > 0 ? new AuthCache(max) : undefined;
    this.#ttl = options.cacheTtlMs ?? 30_000;
    this.#challenge = options.challenge;
    this.#now = options.now ?? Date.now;
  }

  /**
   * The caller of `req`.
   * @throws SecurityError 401 (`UNAUTHENTICATED`, `TOKEN_*`, with `WWW-Authenticate`), 403 (`IP_NOT_ALLOWED`), 503 (`KEY_UNAVAILABLE`)
   */
  async resolve(req: AuthRequest): Promise<Principal> {
    for (const strategy of this.#strategies) {
      const credential = strategy.extract(req);
      if (credential === undefined) continue;
      try {
        return await this.#resolveWith(strategy, credential, req);
      } catch (err) {
        throw this.#withChallenge(err);
      }
    }
    if (!this.#authRequired) return ANONYMOUS_PRINCIPAL;
    throw this.#withChallenge(new SecurityError('UNAUTHENTICATED', 'authentication required'));
  }

  async #resolveWith(strategy: AuthStrategy, credential: string, req: AuthRequest): Promise<Principal> {
    const now = this.#now();
    const key = this.#cache ? cacheKey(strategy.name, credential) : '';
    let outcome = this.#cache?.get(key, now);
    if (!outcome) {
      if (!this.#cache) {
        outcome = await this.#verify(strategy, credential, req, key, now);
      } else {
        // Concurrent first requests with one credential share a single verification (and DB lookup).
        let pending = this.#inflight.get(key);
        if (!pending) {
          pending = this.#verify(strategy, credential, req, key, now).finally(() =>
            this.#inflight.delete(key),
          );
          this.#inflight.set(key, pending);
        }
        outcome = await pending;
      }
    }
    strategy.recheck?.(outcome, req);
    return outcome.principal;
  }

  async #verify(
    strategy: AuthStrategy,
    credential: string,
    req: AuthRequest,
    key: string,
    now: number,
  ): Promise<AuthOutcome> {
    const fresh = await strategy.authenticate(credential, req);
    const principal = this.#enrich ? await this.#enrich(fresh.principal) : fresh.principal;
    const outcome = principal === fresh.principal ? fresh : { ...fresh, principal };
    const ttl = Math.min(this.#ttl, fresh.maxCacheMs ?? this.#ttl);
    const until = Math.min(now + ttl, principal.expiresAt ?? Number.POSITIVE_INFINITY);
    if (this.#cache && ttl > 0 && until > now) this.#cache.set(key, outcome, until);
    return outcome;
  }

  /** Forgets cached verifications of credential `tokenId` (JWT `jti` or API token id). */
  invalidateToken(tokenId: string): number {
    return this.#cache?.invalidateToken(tokenId) ?? 0;
  }

  /** Forgets cached verifications of `subject` (after role/team changes or deactivation). */
  invalidateSubject(subject: string): number {
    return this.#cache?.invalidateSubject(subject) ?? 0;
  }

  /** Forgets everything (custom role definitions or signing keys changed). */
  clearCache(): void {
    this.#cache?.clear();
  }

  /** Cached entries (for metrics). */
  get cacheSize(): number {
    return this.#cache?.size ?? 0;
  }

  #withChallenge(err: unknown): unknown {
    if (!isSecurityError(err) || err.status !== 401 || !this.#challenge || err.headers?.['WWW-Authenticate'])
      return err;
    return new SecurityError(err.code, err.message, {
      ...(err.field === undefined ? {} : { field: err.field }),
      ...(err.details === undefined ? {} : { details: err.details }),
      headers: { ...err.headers, 'WWW-Authenticate': this.#challenge(err) },
      cause: err,
    });
  }
}

function cacheKey(strategy: string, credential: string): string {
  return createHash('sha256').update(strategy).update('\0').update(credential).digest('base64url');
}

export type { AuthOutcome };
