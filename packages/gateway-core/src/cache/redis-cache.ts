import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { GatewayError } from '../errors.js';
import type { GatewayLogger } from '../observability/logger.js';
import { redactUrl } from '../observability/logger.js';
import type { Cache } from './cache.js';
import { type InvalidationListener, InvalidationListeners } from './invalidation-listeners.js';
import { LruMap } from './lru-map.js';

/** Options of {@link RedisCache}. */
export interface RedisCacheOptions {
  url: string;
  /** Prefix of every key and of the invalidation channel (`CACHE_PREFIX`). */
  prefix: string;
  /** Capacity of the in-process first level. */
  maxLocalEntries: number;
  /**
   * Longest time a value stays in the in-process first level. Invalidations arrive by pub/sub at once;
   * this bound only matters if one is lost (e.g. during a reconnect, after which the level is cleared).
   */
  localTtlMs?: number;
  logger?: GatewayLogger;
}

interface Invalidation {
  from: string;
  keys?: string[];
  prefix?: string;
}

/**
 * A shared cache for several replicas: values live in Redis (JSON, with TTL) and in a small in-process
 * LRU in front of it. Every delete is broadcast on `<prefix>invalidate` so other processes drop their
 * local copies immediately. Redis failures degrade to misses; they never fail a request.
 */
export class RedisCache implements Cache {
  readonly kind = 'redis' as const;
  readonly #client: Redis;
  readonly #subscriber: Redis;
  readonly #local: LruMap;
  readonly #prefix: string;
  readonly #channel: string;
  readonly #instance = randomUUID();
  readonly #localTtlMs: number;
  readonly #logger: GatewayLogger | undefined;
  readonly #listeners = new InvalidationListeners();

  private constructor(options: RedisCacheOptions, client: Redis, subscriber: Redis) {
    this.#client = client;
    this.#subscriber = subscriber;
    this.#local = new LruMap(options.maxLocalEntries);
    this.#prefix = options.prefix;
    this.#channel = `${options.prefix}invalidate`;
    this.#localTtlMs = options.localTtlMs ?? 30_000;
    this.#logger = options.logger;
  }

  /**
   * Connects both Redis clients and subscribes to the invalidation channel.
   *
   * @throws GatewayError CACHE_UNAVAILABLE when Redis cannot be reached.
   */
  static async connect(options: RedisCacheOptions): Promise<RedisCache> {
    const common = {
      lazyConnect: true,
      // Fail commands fast while disconnected: a slow cache must not slow requests down.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 5000,
    };
    const client = new Redis(options.url, common);
    const subscriber = new Redis(options.url, { ...common, enableOfflineQueue: true });
    const cache = new RedisCache(options, client, subscriber);
    for (const c of [client, subscriber])
      c.on('error', (e: Error) => cache.#logger?.warn({ err: e.message }, 'redis error'));
    try {
      await client.connect();
      await subscriber.connect();
      await subscriber.subscribe(cache.#channel);
    } catch (cause) {
      client.disconnect();
      subscriber.disconnect();
      throw new GatewayError(
        'CACHE_UNAVAILABLE',
        `Redis at ${redactUrl(options.url)} is not reachable: ${(cause as Error).message}`,
        { cause },
      );
    }
    subscriber.on('message', (channel: string, message: string) => {
      if (channel === cache.#channel) cache.#apply(message);
    });
    // Messages sent while we were disconnected are lost: forget everything local after a reconnect.
    subscriber.on('ready', () => cache.#local.clear());
    return cache;
  }

  #apply(message: string): void {
    let parsed: Invalidation;
    try {
      parsed = JSON.parse(message) as Invalidation;
    } catch {
      return;
    }
    if (parsed.from === this.#instance) return;
    for (const key of parsed.keys ?? []) this.#local.delete(key);
    if (parsed.prefix !== undefined) this.#local.deletePrefix(parsed.prefix);
    this.#listeners.emit(
      parsed.prefix === undefined
        ? { keys: parsed.keys ?? [] }
        : { keys: parsed.keys ?? [], prefix: parsed.prefix },
    );
  }

  async get<T>(key: string): Promise<T | undefined> {
    const local = this.#local.get(key);
    if (local !== undefined) return local as T;
    try {
      const text = await this.#client.get(this.#prefix + key);
      if (text === null) return undefined;
      const value = JSON.parse(text) as T;
      this.#local.set(key, value, this.#localTtlMs);
      return value;
    } catch (error) {
      this.#logger?.warn({ err: (error as Error).message }, 'redis cache read failed; treating as a miss');
      return undefined;
    }
  }

  async set(key: string, value: unknown, ttlSeconds: number): Promise<void> {
    if (ttlSeconds <= 0) return;
    this.#local.set(key, value, Math.min(ttlSeconds * 1000, this.#localTtlMs));
    try {
      await this.#client.set(this.#prefix + key, JSON.stringify(value), 'EX', ttlSeconds);
    } catch (error) {
      this.#logger?.warn({ err: (error as Error).message }, 'redis cache write failed');
    }
  }

  async delete(...keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    for (const key of keys) this.#local.delete(key);
    this.#listeners.emit({ keys });
    await this.#shared(async () => {
      await this.#client.del(...keys.map((k) => this.#prefix + k));
      await this.#publish({ from: this.#instance, keys });
    });
  }

  async deletePrefix(prefix: string): Promise<void> {
    this.#local.deletePrefix(prefix);
    this.#listeners.emit({ keys: [], prefix });
    await this.#shared(async () => {
      let cursor = '0';
      do {
        const [next, found] = await this.#client.scan(
          cursor,
          'MATCH',
          `${escapeGlob(this.#prefix + prefix)}*`,
          'COUNT',
          500,
        );
        cursor = next;
        if (found.length > 0) await this.#client.del(...found);
      } while (cursor !== '0');
      await this.#publish({ from: this.#instance, prefix });
    });
  }

  async #publish(message: Invalidation): Promise<void> {
    await this.#client.publish(this.#channel, JSON.stringify(message));
  }

  async #shared(work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      // Other replicas keep their copies until the TTL: log loudly, but the write itself succeeded.
      this.#logger?.warn({ err: (error as Error).message }, 'redis cache invalidation failed');
    }
  }

  onInvalidate(listener: InvalidationListener): () => void {
    return this.#listeners.add(listener);
  }

  async ping(): Promise<boolean> {
    try {
      return (await this.#client.ping()) === 'PONG';
    } catch {
      return false;
    }
  }

  localSize(): number {
    return this.#local.size;
  }

  async close(): Promise<void> {
    this.#local.clear();
    await Promise.allSettled([this.#subscriber.quit(), this.#client.quit()]);
  }
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}
