import type { Cache } from './cache.js';
import { type InvalidationListener, InvalidationListeners } from './invalidation-listeners.js';
import { LruMap } from './lru-map.js';

/**
 * The default cache: an in-process LRU. Values are stored as given (callers must not mutate what they
 * put or get), which keeps a hit free of serialisation.
 */
export class MemoryCache implements Cache {
  readonly kind = 'memory' as const;
  readonly #lru: LruMap;
  readonly #listeners = new InvalidationListeners();

  /** @param maxEntries LRU capacity (`CACHE_MAX_ENTRIES`) */
  constructor(maxEntries: number) {
    this.#lru = new LruMap(maxEntries);
  }

  async get<T>(key: string): Promise<T | undefined> {
    return this.#lru.get(key) as T | undefined;
  }

  async set(key: string, value: unknown, ttlSeconds: number): Promise<void> {
    if (ttlSeconds > 0) this.#lru.set(key, value, ttlSeconds * 1000);
  }

  async delete(...keys: string[]): Promise<void> {
    for (const key of keys) this.#lru.delete(key);
    this.#listeners.emit({ keys });
  }

  async deletePrefix(prefix: string): Promise<void> {
    this.#lru.deletePrefix(prefix);
    this.#listeners.emit({ keys: [], prefix });
  }

  onInvalidate(listener: InvalidationListener): () => void {
    return this.#listeners.add(listener);
  }

  async ping(): Promise<boolean> {
    return true;
  }

  localSize(): number {
    return this.#lru.size;
  }

  async close(): Promise<void> {
    this.#lru.clear();
  }
}

/** `CACHE_TYPE=none`: every read misses, every write is dropped. */
export class NullCache implements Cache {
  readonly kind = 'none' as const;
  readonly #listeners = new InvalidationListeners();
  async get<T>(_key: string): Promise<T | undefined> {
    return undefined;
  }
  async set(_key: string, _value: unknown, _ttlSeconds: number): Promise<void> {}
  async delete(...keys: string[]): Promise<void> {
    this.#listeners.emit({ keys });
  }
  async deletePrefix(prefix: string): Promise<void> {
    this.#listeners.emit({ keys: [], prefix });
  }
  onInvalidate(listener: InvalidationListener): () => void {
    return this.#listeners.add(listener);
  }
  async ping(): Promise<boolean> {
    return true;
  }
  localSize(): number {
    return 0;
  }
  async close(): Promise<void> {}
}
