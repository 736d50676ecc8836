/** A limit: `limit` requests per `windowMs`, plus `burst` extra requests allowed at once. */
export interface RateLimitRule {
  readonly limit: number;
  readonly windowMs: number;
  readonly burst?: number;
}

/** The decision for one request. */
export interface RateLimitDecision {
  readonly allowed: boolean;
  /** Requests still allowed right now. */
  readonly remaining: number;
  /** When denied: ms until a request would be allowed. */
  readonly retryAfterMs: number;
  /** ms until the bucket is full again (X-RateLimit-Reset). */
  readonly resetMs: number;
  /** The rule's capacity (limit + burst). */
  readonly limit: number;
}

/**
 * A rate-limit counter backend. Both implementations run GCRA (the generic cell rate algorithm): one
 * number per key (the "theoretical arrival time"), O(1) time and memory, smooth refill — a token bucket
 * of capacity `limit + burst` refilling at `limit / windowMs`, without a sorted set per key.
 */
export interface RateLimitStore {
  /** Counts one request against `key` under `rule`. */
  hit(key: string, rule: RateLimitRule): Promise<RateLimitDecision>;
  /** Forgets `key` (tests, admin reset). */
  reset(key: string): Promise<void>;
}

/** GCRA step shared by the memory store (and mirrored in the Redis Lua script). */
export function gcra(
  tat: number | undefined,
  now: number,
  rule: RateLimitRule,
): { decision: RateLimitDecision; newTat: number | undefined } {
  const capacity = rule.limit + (rule.burst ?? 0);
  const interval = rule.windowMs / rule.limit;
  const base = tat === undefined || tat < now ? now : tat;
  const newTat = base + interval;
  const allowAt = newTat - capacity * interval;
  if (now < allowAt) {
    return {
      decision: {
        allowed: false,
        remaining: 0,
        retryAfterMs: Math.ceil(allowAt - now),
        resetMs: Math.ceil(base - now),
        limit: capacity,
      },
      newTat: undefined,
    };
  }
  return {
    decision: {
      allowed: true,
      remaining: Math.floor((now - allowAt) / interval),
      retryAfterMs: 0,
      resetMs: Math.ceil(newTat - now),
      limit: capacity,
    },
    newTat,
  };
}

/** In-process {@link RateLimitStore} (single replica), bounded in keys (least recently hit dropped first). */
export class MemoryRateLimitStore implements RateLimitStore {
  readonly #tat = new Map<string, number>();
  readonly #max: number;
  readonly #now: () => number;

  constructor(options: { maxKeys?: number; now?: () => number } = {}) {
    this.#max = options.maxKeys ?? 100_000;
    this.#now = options.now ?? Date.now;
  }

  async hit(key: string, rule: RateLimitRule): Promise<RateLimitDecision> {
    const now = this.#now();
    const { decision, newTat } = gcra(this.#tat.get(key), now, rule);
    if (newTat !== undefined) {
      this.#tat.delete(key);
      this.#tat.set(key, newTat);
      // Over the bound: drop the least recently hit key (Map order), which is the likeliest to be idle.
      if (this.#tat.size > this.#max) this.#tat.delete(this.#tat.keys().next().value as string);
    }
    return decision;
  }

  async reset(key: string): Promise<void> {
    this.#tat.delete(key);
  }
}
