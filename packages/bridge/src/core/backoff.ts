/** Options of {@link Backoff}. */
export interface BackoffOptions {
  /** First delay in ms (default 500). */
  initialDelayMs?: number;
  /** Largest delay in ms (default 30 000). */
  maxDelayMs?: number;
  /** Growth factor per attempt (default 2). */
  factor?: number;
  /** Random spread, 0..1, applied as ±jitter (default 0.2) so that many clients do not retry in step. */
  jitter?: number;
  /** Attempts allowed before giving up; 0 or undefined = unlimited. */
  maxAttempts?: number;
}

/** Exponential backoff with jitter and an optional attempt budget. */
export class Backoff {
  private attemptCount = 0;
  private readonly initial: number;
  private readonly max: number;
  private readonly factor: number;
  private readonly jitter: number;
  private readonly maxAttempts: number;

  /** @param options delays, growth, jitter and budget */
  constructor(options: BackoffOptions = {}) {
    this.initial = options.initialDelayMs ?? 500;
    this.max = options.maxDelayMs ?? 30_000;
    this.factor = options.factor ?? 2;
    this.jitter = options.jitter ?? 0.2;
    this.maxAttempts = options.maxAttempts ?? 0;
  }

  /** Attempts made since the last reset. */
  get attempts(): number {
    return this.attemptCount;
  }

  /** True when the attempt budget is used up. */
  get exhausted(): boolean {
    return this.maxAttempts > 0 && this.attemptCount >= this.maxAttempts;
  }

  /** Counts an attempt and returns how long to wait before it. */
  next(): number {
    const base = Math.min(this.max, this.initial * this.factor ** this.attemptCount);
    this.attemptCount += 1;
    const spread = base * this.jitter * (Math.random() * 2 - 1);
    return Math.max(0, Math.round(base + spread));
  }

  /** Starts again from the initial delay (after a success). */
  reset(): void {
    this.attemptCount = 0;
  }
}

/** Resolves after `ms` milliseconds, or early (without error) when `signal` aborts. */
export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
