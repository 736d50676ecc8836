import type { ApiTokenStore } from './api-token-store.js';

/** Options of {@link LastUsedTracker}. */
export interface LastUsedTrackerOptions {
  store: Pick<ApiTokenStore, 'touchLastUsed'>;
  /** Per token, record a use at most once per this interval; default 60 000 ms. */
  debounceMs?: number;
  /** Flush pending uses this often; default 10 000 ms. 0 disables the timer (call `flush`). */
  flushIntervalMs?: number;
  /** Tokens remembered for debouncing at most (oldest dropped); default 100 000. */
  maxTracked?: number;
  /** Receives flush failures (the next flush retries); default: ignored. */
  onError?: (err: unknown) => void;
  now?: () => number;
}

/**
 * Debounced "last used" bookkeeping for API tokens: the hot path only touches a map; the store sees at
 * most one batched write per flush interval, and each token at most once per debounce interval, so a
 * token used 1 000 times a second costs one UPDATE a minute.
 */
export class LastUsedTracker {
  readonly #o: Required<Omit<LastUsedTrackerOptions, 'onError' | 'now'>>;
  readonly #onError: (err: unknown) => void;
  readonly #now: () => number;
  readonly #recorded = new Map<string, number>();
  #pending = new Map<string, number>();
  readonly #timer: NodeJS.Timeout | undefined;

  constructor(options: LastUsedTrackerOptions) {
    this.#o = {
      store: options.store,
      debounceMs: options.debounceMs ?? 60_000,
      flushIntervalMs: options.flushIntervalMs ?? 10_000,
      maxTracked: options.maxTracked ?? 100_000,
    };
    this.#onError = options.onError ?? (() => {});
    this.#now = options.now ?? Date.now;
    if (this.#o.flushIntervalMs > 0) {
      this.#timer = setInterval(() => void this.flush(), this.#o.flushIntervalMs);
      this.#timer.unref();
    }
  }

  /** Notes a use of token `id` now (cheap; no I/O). */
  touch(id: string): void {
    const now = this.#now();
    const last = this.#recorded.get(id);
    if (last !== undefined && now - last < this.#o.debounceMs) return;
    this.#recorded.delete(id);
    this.#recorded.set(id, now);
    if (this.#recorded.size > this.#o.maxTracked)
      this.#recorded.delete(this.#recorded.keys().next().value as string);
    this.#pending.set(id, now);
  }

  /** Writes pending uses in one batch. Failed batches are merged back and retried on the next flush. */
  async flush(): Promise<void> {
    if (this.#pending.size === 0) return;
    const batch = this.#pending;
    this.#pending = new Map();
    try {
      await this.#o.store.touchLastUsed([...batch].map(([id, at]) => ({ id, at })));
    } catch (err) {
      for (const [id, at] of batch) if (!this.#pending.has(id)) this.#pending.set(id, at);
      this.#onError(err);
    }
  }

  /** Stops the timer and writes what is pending. */
  async close(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    await this.flush();
  }
}
