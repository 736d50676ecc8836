import type { JwksCache } from '../jwt/jwks-cache.js';
import type { OAuthStateStore } from '../oauth/oauth-stores.js';
import type { FetchLike } from '../ssrf/safe-fetch.js';
import type { SsoIdentity } from './sso-identity.js';

/** A login provider: start sends the browser away, finish turns the callback into an identity. */
export interface SsoProvider {
  readonly id: string;
  /** The URL to redirect the browser to, and the `state` it carries. */
  startLogin(options?: { returnTo?: string; loginHint?: string }): Promise<{ url: string; state: string }>;
  /**
   * Completes a login from the callback query (`state`, `code`, and `iss` when the provider sends it).
   * @throws SecurityError `OAUTH_INVALID_STATE` (400), `OIDC_FAILED` (401), `OAUTH_UPSTREAM_ERROR` (502)
   */
  finishLogin(params: {
    state: string;
    code: string;
    iss?: string;
  }): Promise<{ identity: SsoIdentity; returnTo?: string }>;
}

/** What providers need from the gateway. */
export interface SsoDependencies {
  /** SSRF-safe fetch for every provider call. */
  fetch: FetchLike;
  /** Pending login states (one-time). */
  states: OAuthStateStore;
  /** JWKS cache shared by providers (OIDC only). */
  jwks: JwksCache;
  /** Lifetime of a pending login; default 10 min. */
  stateTtlMs?: number;
  now?: () => number;
}
