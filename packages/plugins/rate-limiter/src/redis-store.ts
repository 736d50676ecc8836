/**
 * Counters in Redis, shared by every gateway replica. Each check is one atomic Lua script using
 * the server's clock (replicas' clocks may differ).
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { HitResult, RateStore } from './rate-store.js';

/** INCR with the expiry set on the first hit of a window. Returns {count, pttl}. */
const FIXED_WINDOW = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {count, ttl}`;

/** A sorted set of request times (server clock). Returns {allowed, count, retry_after_ms}. */
const SLIDING_WINDOW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local count = redis.call('ZCARD', KEYS[1])
if count < limit then
  redis.call('ZADD', KEYS[1], now, now .. '-' .. ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window)
  return {1, count + 1, 0}
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return {0, count, tonumber(oldest[2]) + window - now}`;

type Scripted = Redis & {
  rlFixed(key: string, windowMs: number): Promise<[number, number]>;
  rlSliding(key: string, windowMs: number, limit: number, nonce: string): Promise<[number, number, number]>;
};

/** Counters in Redis under `prefix:`. */
export class RedisRateStore implements RateStore {
  private readonly redis: Scripted;
  private nonce = 0;
  private readonly instance = randomUUID();

  /**
   * @param url `redis://…` (password never logged)
   * @param prefix key prefix (`rl`)
   */
  constructor(
    url: string,
    private readonly prefix: string,
  ) {
    this.redis = new Redis(url, {
      lazyConnect: true,
      maxRetriesPerRequest: 1,
      enableOfflineQueue: true,
      connectTimeout: 2000,
      retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
    }) as Scripted;
    // Errors surface on the commands; without a listener ioredis would print every reconnect.
    this.redis.on('error', () => {});
    this.redis.defineCommand('rlFixed', { numberOfKeys: 1, lua: FIXED_WINDOW });
    this.redis.defineCommand('rlSliding', { numberOfKeys: 1, lua: SLIDING_WINDOW });
  }

  /** Connects (resolves once Redis answers). */
  async connect(): Promise<void> {
    if (this.redis.status === 'wait') await this.redis.connect();
    await this.redis.ping();
  }

  async hit(
    key: string,
    limit: number,
    windowMs: number,
    algorithm: 'fixed_window' | 'sliding_window',
  ): Promise<HitResult> {
    const full = `${this.prefix}:${key}`;
    if (algorithm === 'sliding_window') {
      const [allowed, count, retry] = await this.redis.rlSliding(
        full,
        windowMs,
        limit,
        // Members must be unique across replicas (pids repeat across hosts): instance id + counter.
        `${this.instance}-${this.nonce++}`,
      );
      return { allowed: allowed === 1, count, retryAfterMs: Math.max(0, retry) };
    }
    const [count, ttl] = await this.redis.rlFixed(full, windowMs);
    return count <= limit
      ? { allowed: true, count, retryAfterMs: 0 }
      : { allowed: false, count, retryAfterMs: Math.max(0, ttl) };
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}
