import { createRemoteJWKSet, customFetch, type JWTVerifyGetKey } from 'jose';
import { SecurityError } from '../errors.js';
import { type FetchLike, readResponseText } from '../ssrf/safe-fetch.js';

/** Options of {@link JwksCache}. */
export interface JwksCacheOptions {
  /** JWKS URLs kept at most (least recently used dropped); default 32. */
  maxEntries?: number;
  /** Fetch used for JWKS documents; pass an SSRF-safe one (`createSafeFetch`). Default: global fetch. */
  fetch?: FetchLike;
  /** Per-fetch timeout; default 5 000 ms. */
  timeoutMs?: number;
  /** Minimum time between refetches triggered by an unknown `kid`; default 30 000 ms. */
  cooldownMs?: number;
  /** Time after which a cached set is refetched; default 10 min. */
  cacheMaxAgeMs?: number;
  /** Largest JWKS document accepted; default 256 KiB. */
  maxBytes?: number;
}

/**
 * Bounded, rotation-aware cache of remote JSON Web Key Sets (one per URL). Each set is jose's
 * `createRemoteJWKSet`: keys are cached for `cacheMaxAgeMs`, and a token whose `kid` is unknown triggers
 * a refetch (at most once per `cooldownMs`), so a provider's key rotation is picked up without a restart
 * while a flood of forged `kid`s cannot turn into a flood of fetches.
 */
export class JwksCache {
  readonly #sets = new Map<string, JWTVerifyGetKey>();
  readonly #options: Required<Omit<JwksCacheOptions, 'fetch'>> & { fetch: FetchLike };

  constructor(options: JwksCacheOptions = {}) {
    this.#options = {
      maxEntries: options.maxEntries ?? 32,
      fetch: options.fetch ?? ((input, init) => fetch(input, init)),
      timeoutMs: options.timeoutMs ?? 5_000,
      cooldownMs: options.cooldownMs ?? 30_000,
      cacheMaxAgeMs: options.cacheMaxAgeMs ?? 600_000,
      maxBytes: options.maxBytes ?? 256 * 1024,
    };
  }

  /**
   * The key getter for `url` (created on first use).
   * @throws SecurityError `CONFIG_INVALID` when `url` is not an absolute http(s) URL.
   */
  get(url: string): JWTVerifyGetKey {
    const hit = this.#sets.get(url);
    if (hit) {
      this.#sets.delete(url);
      this.#sets.set(url, hit);
      return hit;
    }
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new SecurityError('CONFIG_INVALID', `jwks_uri: expected an absolute URL, got '${url}'`, {
        field: 'jwks_uri',
      });
    }
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
      throw new SecurityError('CONFIG_INVALID', `jwks_uri: expected http(s), got '${parsed.protocol}'`, {
        field: 'jwks_uri',
      });
    }
    const { fetch: doFetch, maxBytes } = this.#options;
    const set = createRemoteJWKSet(parsed, {
      timeoutDuration: this.#options.timeoutMs,
      cooldownDuration: this.#options.cooldownMs,
      cacheMaxAge: this.#options.cacheMaxAgeMs,
      // Route through the caller's (SSRF-safe) fetch and bound the document size.
      [customFetch]: async (u: string, init: RequestInit) => {
        const res = await doFetch(u, init);
        const text = await readResponseText(res, maxBytes, 'jwks_uri');
        return new Response(text, { status: res.status, headers: res.headers });
      },
    });
    this.#sets.set(url, set);
    while (this.#sets.size > this.#options.maxEntries) {
      const oldest = this.#sets.keys().next().value as string;
      this.#sets.delete(oldest);
    }
    return set;
  }

  /** Number of URLs cached. */
  get size(): number {
    return this.#sets.size;
  }

  /** Forgets every cached set. */
  clear(): void {
    this.#sets.clear();
  }
}
