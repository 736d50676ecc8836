import { randomBytes } from 'node:crypto';
import type { SessionOps } from './dispatcher.js';
import type { SessionRecord, SessionStore } from './session-store.js';

/** Options of {@link SessionManager}. */
export interface SessionManagerOptions {
  /** A session idle this long is reaped. */
  idleTtlMs: number;
  /** How long a replica trusts its cached copy of a record before re-reading the store. */
  cacheMs: number;
  /** Bound of the local record cache. */
  maxCached: number;
  /** Bound of `resources/subscribe` URIs per session. */
  maxSubscriptions: number;
  /** Called after a record changed or was deleted here, so other replicas drop their copies. */
  onChanged(id: string, deleted: boolean): void;
}

interface Cached {
  record: SessionRecord;
  at: number;
  touchedAt: number;
}

/**
 * Front of the shared SessionStore for one replica: mints ids, caches records briefly (the hot
 * path must not pay a Redis round trip per request), refreshes the idle TTL at most every tenth of
 * it, and gives the dispatcher its per-session operations.
 */
export class SessionManager {
  readonly #cache = new Map<string, Cached>();
  readonly #ops = new WeakMap<SessionRecord, SessionOps>();

  constructor(
    readonly store: SessionStore,
    private readonly opts: SessionManagerOptions,
  ) {}

  /** Creates and stores a new session record. */
  async create(fields: Omit<SessionRecord, 'id' | 'createdAt'>): Promise<SessionRecord> {
    // 144 random bits, URL-safe and visible ASCII (2025-11-25 §Session Management).
    const record: SessionRecord = {
      ...fields,
      id: randomBytes(18).toString('base64url'),
      createdAt: Date.now(),
    };
    await this.store.create(record, this.opts.idleTtlMs);
    this.#remember(record, Date.now());
    return record;
  }

  /** The live record of `id` (cached), or undefined. Refreshes the idle TTL. */
  async get(id: string): Promise<SessionRecord | undefined> {
    const now = Date.now();
    const hit = this.#cache.get(id);
    if (hit !== undefined && now - hit.at < this.opts.cacheMs) {
      if (now - hit.touchedAt > this.opts.idleTtlMs / 10) {
        hit.touchedAt = now;
        void this.store.touch(id, this.opts.idleTtlMs).catch(() => undefined);
      }
      return hit.record;
    }
    const record = await this.store.get(id);
    if (record === undefined) {
      this.#cache.delete(id);
      return undefined;
    }
    await this.store.touch(id, this.opts.idleTtlMs);
    this.#remember(record, now);
    return record;
  }

  /** Merges `patch` into the record everywhere. */
  async update(id: string, patch: Partial<SessionRecord>): Promise<void> {
    await this.store.update(id, patch, this.opts.idleTtlMs);
    const hit = this.#cache.get(id);
    if (hit !== undefined) hit.record = { ...hit.record, ...patch, id };
    this.opts.onChanged(id, false);
  }

  /** Deletes a session; true when it existed. */
  async delete(id: string): Promise<boolean> {
    this.#cache.delete(id);
    const existed = await this.store.delete(id);
    this.opts.onChanged(id, true);
    return existed;
  }

  /** Drops the cached copy (another replica changed or deleted the record). */
  forget(id: string): void {
    this.#cache.delete(id);
  }

  /** Per-session operations for the dispatcher. */
  ops(record: SessionRecord): SessionOps {
    // One set of closures per cached record, not per request (hot path).
    let ops = this.#ops.get(record);
    if (ops === undefined) {
      ops = this.#makeOps(record);
      this.#ops.set(record, ops);
    }
    return ops;
  }

  #makeOps(record: SessionRecord): SessionOps {
    return {
      setLogLevel: (level) => this.update(record.id, { logLevel: level }),
      subscribe: async (uri) => {
        const current = (await this.get(record.id))?.subscriptions ?? [];
        if (current.includes(uri)) return;
        const next = [...current, uri];
        // Bounded: the oldest subscription gives way to the newest.
        while (next.length > this.opts.maxSubscriptions) next.shift();
        await this.update(record.id, { subscriptions: next });
      },
      unsubscribe: async (uri) => {
        const current = (await this.get(record.id))?.subscriptions ?? [];
        if (!current.includes(uri)) return;
        await this.update(record.id, { subscriptions: current.filter((u) => u !== uri) });
      },
    };
  }

  /** Number of cached records (for bound tests). */
  get cachedCount(): number {
    return this.#cache.size;
  }

  #remember(record: SessionRecord, now: number): void {
    this.#cache.delete(record.id);
    this.#cache.set(record.id, { record, at: now, touchedAt: now });
    if (this.#cache.size > this.opts.maxCached) this.#cache.delete(this.#cache.keys().next().value as string);
  }
}
