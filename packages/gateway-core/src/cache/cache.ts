import type { InvalidationListener } from './invalidation-listeners.js';

/**
 * A key-value cache of JSON-serialisable values. Implementations never throw from reads: a cache that
 * cannot answer behaves as a miss (the database stays the source of truth).
 */
export interface Cache {
  /** `memory`, `redis` or `none`. */
  readonly kind: 'memory' | 'redis' | 'none';
  /** The cached value, or undefined on a miss. */
  get<T>(key: string): Promise<T | undefined>;
  /** Stores `value` for `ttlSeconds` (must be > 0). */
  set(key: string, value: unknown, ttlSeconds: number): Promise<void>;
  /** Removes keys here and, for shared caches, in every other process. */
  delete(...keys: string[]): Promise<void>;
  /** Removes every key starting with `prefix`, here and in every other process. */
  deletePrefix(prefix: string): Promise<void>;
  /**
   * Calls `listener` after every invalidation made here and, for shared caches, in every other process
   * (also when caching is off: invalidations still announce registry changes). Returns its removal.
   */
  onInvalidate(listener: InvalidationListener): () => void;
  /** True when the backend answers (readiness checks). */
  ping(): Promise<boolean>;
  /** Entries currently held in this process (diagnostics, metrics). */
  localSize(): number;
  /** Releases connections and timers. */
  close(): Promise<void>;
}
