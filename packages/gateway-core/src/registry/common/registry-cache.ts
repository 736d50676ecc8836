import type { Cache } from '../../cache/cache.js';

/** Prefix of every cached virtual-server entry (the server and its member lists). */
export const SERVER_CACHE_PREFIX = 'server:';

/**
 * The registries' view of the cache: read-through by key, with the TTL from `REGISTRY_CACHE_TTL`
 * (0 turns caching off). Keys are `<entity>:<field>:<value>`.
 */
export class RegistryCache {
  /**
   * @param cache the backing cache (memory, Redis or none)
   * @param ttlSeconds lifetime of an entry
   */
  constructor(
    readonly cache: Cache,
    readonly ttlSeconds: number,
  ) {}

  /** The cached value for `key`, or the result of `load` (cached when defined). */
  async getOrLoad<T>(key: string, load: () => Promise<T | undefined>): Promise<T | undefined> {
    if (this.ttlSeconds <= 0) return load();
    const hit = await this.cache.get<T>(key);
    if (hit !== undefined) return hit;
    const value = await load();
    if (value !== undefined) await this.cache.set(key, value, this.ttlSeconds);
    return value;
  }

  /** Drops keys after a write (in every process, with Redis). */
  async invalidate(...keys: string[]): Promise<void> {
    await this.cache.delete(...keys);
  }

  /** Drops every key of an entity type (`tool:`), e.g. after a bulk change. */
  async invalidatePrefix(prefix: string): Promise<void> {
    await this.cache.deletePrefix(prefix);
  }
}
