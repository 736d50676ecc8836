import type { AuthOutcome } from './auth-strategy.js';

interface Entry {
  readonly outcome: AuthOutcome;
  readonly expiresAt: number;
}

/**
 * Bounded LRU of verified credentials, keyed by a hash of the credential (never the credential itself),
 * with per-entry expiry, and secondary indexes by token id and by subject so revocations, role changes and
 * user deactivation drop the affected entries immediately.
 */
export class AuthCache {
  readonly #map = new Map<string, Entry>();
  readonly #byToken = new Map<string, Set<string>>();
  readonly #bySubject = new Map<string, Set<string>>();
  readonly #max: number;

  constructor(maxEntries: number) {
    this.#max = maxEntries;
  }

  /** The live entry for `key`, or undefined (expired entries are dropped). */
  get(key: string, now: number): AuthOutcome | undefined {
    const e = this.#map.get(key);
    if (!e) return undefined;
    if (e.expiresAt <= now) {
      this.#delete(key);
      return undefined;
    }
    return e.outcome;
  }

  /** Stores an outcome until `expiresAt` (epoch ms), evicting the least recently stored entry when full. */
  set(key: string, outcome: AuthOutcome, expiresAt: number): void {
    if (this.#map.has(key)) this.#delete(key);
    this.#map.set(key, { outcome, expiresAt });
    const { tokenId, subject } = outcome.principal;
    if (tokenId) index(this.#byToken, tokenId, key);
    index(this.#bySubject, subject, key);
    while (this.#map.size > this.#max) this.#delete(this.#map.keys().next().value as string);
  }

  /** Drops every entry of credential `tokenId` (JWT `jti` or API token id). Returns how many. */
  invalidateToken(tokenId: string): number {
    return this.#dropAll(this.#byToken.get(tokenId));
  }

  /** Drops every entry of `subject` (user deactivated, roles or teams changed). Returns how many. */
  invalidateSubject(subject: string): number {
    return this.#dropAll(this.#bySubject.get(subject));
  }

  /** Drops everything (custom roles changed, key rotated). */
  clear(): void {
    this.#map.clear();
    this.#byToken.clear();
    this.#bySubject.clear();
  }

  /** Entries held. */
  get size(): number {
    return this.#map.size;
  }

  #dropAll(keys: Set<string> | undefined): number {
    if (!keys) return 0;
    const all = [...keys];
    for (const k of all) this.#delete(k);
    return all.length;
  }

  #delete(key: string): void {
    const e = this.#map.get(key);
    if (!e) return;
    this.#map.delete(key);
    const { tokenId, subject } = e.outcome.principal;
    if (tokenId) unindex(this.#byToken, tokenId, key);
    unindex(this.#bySubject, subject, key);
  }
}

function index(m: Map<string, Set<string>>, id: string, key: string): void {
  let s = m.get(id);
  if (!s) {
    s = new Set();
    m.set(id, s);
  }
  s.add(key);
}

function unindex(m: Map<string, Set<string>>, id: string, key: string): void {
  const s = m.get(id);
  if (!s) return;
  s.delete(key);
  if (s.size === 0) m.delete(id);
}
