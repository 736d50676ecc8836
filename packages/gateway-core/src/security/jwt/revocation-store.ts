/**
 * Storage of revoked JWT ids. The gateway's DB-backed implementation stores rows in a
 * `token_revocations` table (`jti` primary key, `revoked_at`, `expires_at` nullable, `revoked_by`,
 * `reason`) and deletes rows whose `expires_at` has passed (a revoked token that has expired anyway
 * needs no entry). `isRevoked` is on the authentication path of uncached tokens: it must be a primary-key
 * lookup.
 */
export interface TokenRevocationStore {
  /** True when `jti` has been revoked. */
  isRevoked(jti: string): Promise<boolean>;
  /** Records a revocation; idempotent. */
  revoke(entry: RevocationEntry): Promise<void>;
}

/** One revoked token. */
export interface RevocationEntry {
  /** The token's `jti`. */
  readonly jti: string;
  /** When the token would have expired (epoch ms), so the entry can be purged afterwards; null = never. */
  readonly expiresAt: number | null;
  /** Who revoked it (email). */
  readonly revokedBy?: string;
  /** Why (free text for the audit trail). */
  readonly reason?: string;
}

/** In-memory {@link TokenRevocationStore} (tests, single-process development). Purges expired entries as it goes. */
export class MemoryTokenRevocationStore implements TokenRevocationStore {
  readonly #entries = new Map<string, RevocationEntry>();
  readonly #now: () => number;

  constructor(options: { now?: () => number } = {}) {
    this.#now = options.now ?? Date.now;
  }

  async isRevoked(jti: string): Promise<boolean> {
    const e = this.#entries.get(jti);
    if (!e) return false;
    if (e.expiresAt !== null && e.expiresAt <= this.#now()) {
      this.#entries.delete(jti);
      return false;
    }
    return true;
  }

  async revoke(entry: RevocationEntry): Promise<void> {
    this.#entries.set(entry.jti, entry);
    if (this.#entries.size % 1024 === 0) this.purge();
  }

  /** Drops entries of tokens that have expired anyway. */
  purge(): void {
    const now = this.#now();
    for (const [jti, e] of this.#entries)
      if (e.expiresAt !== null && e.expiresAt <= now) this.#entries.delete(jti);
  }

  /** Number of entries held. */
  get size(): number {
    return this.#entries.size;
  }
}
