import type { McpBackend, Scope, ServerDescription } from './types.js';

/** Stable string key of a scope (`all` or `server:<id>`). */
export function scopeKey(scope: Scope): string {
  return scope.kind === 'all' ? 'all' : `server:${scope.serverId}`;
}

/**
 * Caches `backend.serverInfo(scope)` per scope for `ttlMs` (capability gating runs on every
 * request, so it must not cost a backend call each time). Bounded to `maxEntries` scopes (oldest
 * evicted first) and invalidated on backend change events.
 */
export class ServerInfoCache {
  readonly #entries = new Map<
    string,
    { at: number; value: Promise<ServerDescription>; resolved?: ServerDescription }
  >();

  constructor(
    private readonly backend: McpBackend,
    private readonly ttlMs: number,
    private readonly maxEntries = 1024,
  ) {}

  /** The (possibly cached) description of the server `scope` addresses. */
  get(scope: Scope): Promise<ServerDescription> {
    const key = scopeKey(scope);
    const now = Date.now();
    const hit = this.#entries.get(key);
    if (hit !== undefined && now - hit.at < this.ttlMs) return hit.value;
    const value = this.backend.serverInfo(scope);
    const entry: { at: number; value: Promise<ServerDescription>; resolved?: ServerDescription } = {
      at: now,
      value,
    };
    value.then(
      (desc) => {
        entry.resolved = desc;
      },
      () => undefined,
    );
    // A failed lookup must not stick: drop it so the next request retries.
    value.catch(() => {
      if (this.#entries.get(key)?.value === value) this.#entries.delete(key);
    });
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    if (this.#entries.size > this.maxEntries) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
    return value;
  }

  /**
   * The cached description when it is fresh and already resolved, else undefined: lets the hot
   * path skip an await per request.
   */
  peek(scope: Scope): ServerDescription | undefined {
    const hit = this.#entries.get(scopeKey(scope));
    return hit !== undefined && Date.now() - hit.at < this.ttlMs ? hit.resolved : undefined;
  }

  /** Forgets cached descriptions (all, or one scope). */
  invalidate(scope?: Scope): void {
    if (scope === undefined) this.#entries.clear();
    else this.#entries.delete(scopeKey(scope));
  }

  /** Number of cached scopes (for bound tests). */
  get size(): number {
    return this.#entries.size;
  }
}
