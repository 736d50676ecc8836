/** Exponential backoff settings. */
export interface BackoffOptions {
  /** First delay in ms. */
  initialMs: number;
  /** Upper bound in ms. */
  maxMs: number;
  /** Growth factor per attempt (default 2). */
  factor?: number;
}

/**
 * Delay before attempt `attempt` (0-based): `initial·factor^attempt`, capped, with ±20% jitter so
 * many upstreams restarting together do not synchronise.
 */
export function backoffDelay(attempt: number, options: BackoffOptions): number {
  const base = Math.min(options.maxMs, options.initialMs * (options.factor ?? 2) ** Math.min(attempt, 30));
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    timer.unref?.();
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
