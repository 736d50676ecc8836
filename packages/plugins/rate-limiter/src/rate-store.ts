/** Where counters live: in this process, or in Redis (shared by every gateway replica). */

/** The outcome of counting one request against one limit. */
export interface HitResult {
  allowed: boolean;
  /** Requests counted in the current window (including this one when allowed). */
  count: number;
  /** Milliseconds until a request would be allowed again (0 when allowed). */
  retryAfterMs: number;
}

/** A counter backend. */
export interface RateStore {
  /** Counts one request for `key` against `limit` per `windowMs`. */
  hit(
    key: string,
    limit: number,
    windowMs: number,
    algorithm: 'fixed_window' | 'sliding_window',
  ): Promise<HitResult>;
  close(): Promise<void>;
}
