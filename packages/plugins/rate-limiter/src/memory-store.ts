/** In-process counters (single replica, or the fallback when Redis is down). */
import type { HitResult, RateStore } from './rate-store.js';

interface Entry {
  /** Fixed window: count and window end. Sliding window: request times (ms), oldest first. */
  count: number;
  resetAt: number;
  times?: number[];
}

/** Sweep expired entries once the table grows past this many keys. */
const SWEEP_AT = 10_000;

/** Counters in a Map, with lazy expiry. */
export class MemoryRateStore implements RateStore {
  private readonly entries = new Map<string, Entry>();

  /** @param now clock (tests inject a fake one) */
  constructor(private readonly now: () => number = Date.now) {}

  async hit(
    key: string,
    limit: number,
    windowMs: number,
    algorithm: 'fixed_window' | 'sliding_window',
  ): Promise<HitResult> {
    return this.hitSync(key, limit, windowMs, algorithm);
  }

  /** Synchronous form (the memory backend needs no I/O). */
  hitSync(
    key: string,
    limit: number,
    windowMs: number,
    algorithm: 'fixed_window' | 'sliding_window',
  ): HitResult {
    const now = this.now();
    if (this.entries.size > SWEEP_AT) this.sweep(now);
    let entry = this.entries.get(key);
    if (algorithm === 'sliding_window') {
      if (!entry) {
        entry = { count: 0, resetAt: now + windowMs, times: [] };
        this.entries.set(key, entry);
      }
      const times = entry.times ?? [];
      while (times.length > 0 && (times[0] as number) <= now - windowMs) times.shift();
      entry.resetAt = now + windowMs;
      if (times.length >= limit)
        return { allowed: false, count: times.length, retryAfterMs: (times[0] as number) + windowMs - now };
      times.push(now);
      entry.times = times;
      return { allowed: true, count: times.length, retryAfterMs: 0 };
    }
    if (!entry || entry.resetAt <= now) {
      entry = { count: 0, resetAt: now + windowMs };
      this.entries.set(key, entry);
    }
    if (entry.count >= limit)
      return { allowed: false, count: entry.count, retryAfterMs: entry.resetAt - now };
    entry.count++;
    return { allowed: true, count: entry.count, retryAfterMs: 0 };
  }

  private sweep(now: number): void {
    for (const [key, entry] of this.entries) if (entry.resetAt <= now) this.entries.delete(key);
  }

  async close(): Promise<void> {
    this.entries.clear();
  }
}
