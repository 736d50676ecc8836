import type { Redis } from 'ioredis';
import type { RateLimitDecision, RateLimitRule, RateLimitStore } from './rate-limit-store.js';

// GCRA in one atomic script. The clock is Redis's (TIME), so replicas with skewed clocks agree.
// Returns {allowed, remaining, retryAfterMs, resetMs}.
const GCRA_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local interval = tonumber(ARGV[1])
local capacity = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
local newTat = tat + interval
local allowAt = newTat - capacity * interval
if now < allowAt then
  return {0, 0, math.ceil(allowAt - now), math.ceil(tat - now)}
end
redis.call('SET', KEYS[1], tostring(newTat), 'PX', math.max(1, math.ceil(newTat - now)))
return {1, math.floor((now - allowAt) / interval), 0, math.ceil(newTat - now)}
`;

type WithGcra = Redis & {
  cfGcra(key: string, interval: string, capacity: string): Promise<[number, number, number, number]>;
};

/**
 * Redis {@link RateLimitStore} for multi-replica deployments: GCRA in a Lua script (EVALSHA via ioredis
 * `defineCommand`), one string key per limited subject with a TTL equal to its refill time, all under
 * `keyPrefix` (default `cf:rl:`).
 */
export class RedisRateLimitStore implements RateLimitStore {
  readonly #redis: WithGcra;
  readonly #prefix: string;

  constructor(redis: Redis, options: { keyPrefix?: string } = {}) {
    if (typeof (redis as unknown as Partial<WithGcra>).cfGcra !== 'function') {
      redis.defineCommand('cfGcra', { numberOfKeys: 1, lua: GCRA_LUA });
    }
    this.#redis = redis as unknown as WithGcra;
    this.#prefix = options.keyPrefix ?? 'cf:rl:';
  }

  async hit(key: string, rule: RateLimitRule): Promise<RateLimitDecision> {
    const capacity = rule.limit + (rule.burst ?? 0);
    const [allowed, remaining, retryAfterMs, resetMs] = await this.#redis.cfGcra(
      this.#prefix + key,
      String(rule.windowMs / rule.limit),
      String(capacity),
    );
    return { allowed: allowed === 1, remaining, retryAfterMs, resetMs, limit: capacity };
  }

  async reset(key: string): Promise<void> {
    await this.#redis.del(this.#prefix + key);
  }
}
