/** What was invalidated: exact keys, or every key under a prefix. */
export interface Invalidation {
  keys: readonly string[];
  prefix?: string;
}

/** Receives invalidations made in this process and, for shared caches, in every other one. */
export type InvalidationListener = (invalidation: Invalidation) => void;

/**
 * The listeners of a cache's invalidations. Registry writes invalidate the keys they touch, on every
 * replica (Redis pub/sub), which makes invalidations the replicas' change feed: the MCP engine turns
 * them into `list_changed` notifications. A throwing listener never breaks the write.
 */
export class InvalidationListeners {
  readonly #listeners = new Set<InvalidationListener>();

  /** Adds a listener; returns its removal. */
  add(listener: InvalidationListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Tells every listener. */
  emit(invalidation: Invalidation): void {
    for (const listener of this.#listeners) {
      try {
        listener(invalidation);
      } catch {
        // A listener's failure is its own; the invalidation itself already happened.
      }
    }
  }
}
