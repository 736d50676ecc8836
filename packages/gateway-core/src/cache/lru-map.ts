interface Entry {
  value: unknown;
  expiresAt: number;
}

/**
 * A bounded least-recently-used map with per-entry expiry, built on `Map` insertion order: a read
 * re-inserts the entry at the end, and the oldest entries are evicted first.
 */
export class LruMap {
  readonly #entries = new Map<string, Entry>();
  readonly #max: number;

  /** @param maxEntries entries kept before the least recently used is evicted (≥ 1) */
  constructor(maxEntries: number) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) {
      throw new RangeError(`LruMap maxEntries must be a positive integer, received ${maxEntries}`);
    }
    this.#max = maxEntries;
  }

  /** The live value for `key`, refreshing its recency; undefined when absent or expired. */
  get(key: string, now = Date.now()): unknown {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    this.#entries.delete(key);
    if (entry.expiresAt <= now) return undefined;
    this.#entries.set(key, entry);
    return entry.value;
  }

  /** Stores `value` until `now + ttlMs`. */
  set(key: string, value: unknown, ttlMs: number, now = Date.now()): void {
    this.#entries.delete(key);
    this.#entries.set(key, { value, expiresAt: now + ttlMs });
    while (this.#entries.size > this.#max) {
      const oldest = this.#entries.keys().next().value as string;
      this.#entries.delete(oldest);
    }
  }

  /** Removes `key`. */
  delete(key: string): void {
    this.#entries.delete(key);
  }

  /** Removes every key starting with `prefix`. */
  deletePrefix(prefix: string): void {
    for (const key of [...this.#entries.keys()]) if (key.startsWith(prefix)) this.#entries.delete(key);
  }

  /** Removes everything. */
  clear(): void {
    this.#entries.clear();
  }

  /** Number of entries (expired ones included until touched). */
  get size(): number {
    return this.#entries.size;
  }
}
