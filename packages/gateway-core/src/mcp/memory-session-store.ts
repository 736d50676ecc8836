import type { SessionRecord, SessionStore } from './session-store.js';

/** Options of {@link MemorySessionStore}. */
export interface MemorySessionStoreOptions {
  /** Hard cap on live sessions; the least recently used is evicted beyond it. Default 10,000. */
  maxSessions?: number;
  /** How often expired sessions are swept. Default 30 s. */
  sweepIntervalMs?: number;
  /** Called with the ids of sessions that expired or were evicted (the engine closes their streams). */
  onExpire?: (id: string) => void;
}

/**
 * In-process session store for a single replica: a Map in least-recently-used order, swept for
 * expired entries on a timer and capped in size, so idle sessions are reaped and nothing grows
 * without bound.
 */
export class MemorySessionStore implements SessionStore {
  readonly #records = new Map<string, { record: SessionRecord; expiresAt: number }>();
  readonly #max: number;
  readonly #timer: NodeJS.Timeout;
  readonly #onExpire: ((id: string) => void) | undefined;

  constructor(opts: MemorySessionStoreOptions = {}) {
    this.#max = opts.maxSessions ?? 10_000;
    this.#onExpire = opts.onExpire;
    this.#timer = setInterval(() => this.sweep(), opts.sweepIntervalMs ?? 30_000);
    this.#timer.unref();
  }

  async create(record: SessionRecord, ttlMs: number): Promise<void> {
    this.#records.set(record.id, { record: { ...record }, expiresAt: Date.now() + ttlMs });
    while (this.#records.size > this.#max) {
      const oldest = this.#records.keys().next().value as string;
      this.#records.delete(oldest);
      this.#onExpire?.(oldest);
    }
  }

  async get(id: string): Promise<SessionRecord | undefined> {
    const entry = this.#records.get(id);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= Date.now()) {
      this.#records.delete(id);
      this.#onExpire?.(id);
      return undefined;
    }
    return { ...entry.record };
  }

  async update(id: string, patch: Partial<SessionRecord>, ttlMs: number): Promise<void> {
    const entry = this.#records.get(id);
    if (entry === undefined) return;
    entry.record = { ...entry.record, ...patch, id };
    this.#bump(id, entry, ttlMs);
  }

  async touch(id: string, ttlMs: number): Promise<void> {
    const entry = this.#records.get(id);
    if (entry !== undefined) this.#bump(id, entry, ttlMs);
  }

  async delete(id: string): Promise<boolean> {
    return this.#records.delete(id);
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    this.#records.clear();
  }

  /** Number of live (not yet swept) sessions. */
  get size(): number {
    return this.#records.size;
  }

  /** Drops every expired session now (also runs on a timer). */
  sweep(): void {
    const now = Date.now();
    for (const [id, entry] of this.#records) {
      if (entry.expiresAt <= now) {
        this.#records.delete(id);
        this.#onExpire?.(id);
      }
    }
  }

  #bump(id: string, entry: { record: SessionRecord; expiresAt: number }, ttlMs: number): void {
    entry.expiresAt = Date.now() + ttlMs;
    // Re-insert to keep Map order = least recently used first (eviction order).
    this.#records.delete(id);
    this.#records.set(id, entry);
  }
}
