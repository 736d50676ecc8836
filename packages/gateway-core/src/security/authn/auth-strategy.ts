import type { AuthRequest } from './auth-request.js';
import type { Principal } from './principal.js';

/** The result of a strategy's (uncached) verification. */
export interface AuthOutcome {
  /** The caller (roles may be filled later by the resolver's `enrich` hook). */
  readonly principal: Principal;
  /** Strategy-private data kept with the cache entry and handed to `recheck` (e.g. an IP allowlist). */
  readonly state?: unknown;
  /** Upper bound for caching this outcome (ms); 0 = never cache. The resolver also caps at expiry. */
  readonly maxCacheMs?: number;
}

/**
 * One way of authenticating (JWT bearer, API token, HTTP basic, SSO session…). The resolver asks each
 * strategy in order for a credential it recognises; the first one that claims the request verifies it,
 * and no other strategy is tried (a bad credential never falls through to a weaker method or to
 * anonymous access).
 */
export interface AuthStrategy {
  /** Short name, part of the cache key (`jwt`, `api_token`, `basic`). */
  readonly name: string;
  /** The credential this strategy owns in `req`, or undefined when it does not apply. Must be cheap. */
  extract(req: AuthRequest): string | undefined;
  /** Verifies the credential. @throws SecurityError (401/403/503) */
  authenticate(credential: string, req: AuthRequest): Promise<AuthOutcome>;
  /** Checks that must run on every request, cache hit or not (IP restrictions, usage tracking). */
  recheck?(outcome: AuthOutcome, req: AuthRequest): void;
}
