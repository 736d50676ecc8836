import type { TokenSet } from './token-endpoint.js';

/** Identifies whose token it is: per gateway (upstream), and per user for authorization-code grants. */
export interface OAuthTokenKey {
  readonly gatewayId: string;
  /** The user's email for per-user tokens; null for the gateway's own (client-credentials) token. */
  readonly userEmail: string | null;
}

/**
 * Storage of upstream OAuth tokens.
 *
 * DB-backed implementation: table `oauth_tokens` (`gateway_id` FK gateways ON DELETE CASCADE,
 * `user_email` varchar(320) null — unique (`gateway_id`, `user_email`) with NULL handled as one row via a
 * generated key or a sentinel, `access_token_enc` text, `refresh_token_enc` text null, `token_type`,
 * `scope` text null, `expires_at` timestamp null, `created_at`, `updated_at`). Token values are encrypted
 * with AES-256-GCM from AUTH_ENCRYPTION_SECRET by the implementation before they reach the database; this
 * interface sees clear values.
 */
export interface OAuthTokenStore {
  get(key: OAuthTokenKey): Promise<TokenSet | undefined>;
  set(key: OAuthTokenKey, tokens: TokenSet): Promise<void>;
  delete(key: OAuthTokenKey): Promise<void>;
}

/** A pending authorization-code flow, keyed by its `state`. */
export interface PendingAuthorization {
  readonly gatewayId: string;
  readonly userEmail: string | null;
  readonly codeVerifier: string;
  readonly redirectUri: string;
  /** OIDC nonce (SSO logins). */
  readonly nonce?: string;
  /** Where to send the browser afterwards (validated by the caller). */
  readonly returnTo?: string;
  /** Epoch ms after which the state is void. */
  readonly expiresAt: number;
}

/**
 * One-time storage of pending authorization states.
 *
 * DB-backed implementation: table `oauth_states` (`state` varchar(64) pk, `gateway_id`, `user_email`
 * null, `code_verifier_enc` text, `redirect_uri` text, `nonce` null, `return_to` null, `expires_at`
 * timestamp), `take` = `DELETE … RETURNING` (or select + delete in one transaction) so a state is
 * consumed exactly once even across replicas; expired rows purged periodically. Redis: GETDEL with TTL.
 */
export interface OAuthStateStore {
  put(state: string, pending: PendingAuthorization): Promise<void>;
  /** Returns and deletes the entry (undefined when unknown or expired). */
  take(state: string, now: number): Promise<PendingAuthorization | undefined>;
}

const keyOf = (k: OAuthTokenKey) => `${k.gatewayId}\u0000${k.userEmail ?? ''}`;

/** In-memory {@link OAuthTokenStore}. */
export class MemoryOAuthTokenStore implements OAuthTokenStore {
  readonly #map = new Map<string, TokenSet>();
  async get(key: OAuthTokenKey): Promise<TokenSet | undefined> {
    return this.#map.get(keyOf(key));
  }
  async set(key: OAuthTokenKey, tokens: TokenSet): Promise<void> {
    this.#map.set(keyOf(key), tokens);
  }
  async delete(key: OAuthTokenKey): Promise<void> {
    this.#map.delete(keyOf(key));
  }
}

/** In-memory {@link OAuthStateStore}, bounded (oldest dropped). */
export class MemoryOAuthStateStore implements OAuthStateStore {
  readonly #map = new Map<string, PendingAuthorization>();
  readonly #max: number;
  constructor(maxEntries = 10_000) {
    this.#max = maxEntries;
  }
  async put(state: string, pending: PendingAuthorization): Promise<void> {
    this.#map.set(state, pending);
    while (this.#map.size > this.#max) this.#map.delete(this.#map.keys().next().value as string);
  }
  async take(state: string, now: number): Promise<PendingAuthorization | undefined> {
    const p = this.#map.get(state);
    this.#map.delete(state);
    return p && p.expiresAt > now ? p : undefined;
  }
}
