/** Failed-login bookkeeping for one account key (the normalised email). */
export interface LoginFailureState {
  /** Failures counted in the current window. */
  readonly failures: number;
  /** Start of the current counting window (epoch ms). */
  readonly windowStart: number;
  /** Locked until this instant (epoch ms), or null. */
  readonly lockedUntil: number | null;
}

/** Parameters of one {@link LoginFailureStore.recordFailure} call. */
export interface FailurePolicy {
  readonly now: number;
  /** Failures are counted within this window (ContextForge: 60 min). */
  readonly windowMs: number;
  /** Failures that trigger a lockout [MAX_FAILED_LOGIN_ATTEMPTS, default 5]. */
  readonly maxFailures: number;
  /** Lockout duration [ACCOUNT_LOCKOUT_DURATION_MINUTES]. */
  readonly lockoutMs: number;
}

/**
 * Storage of failed-login counters. Keys are counted whether or not the account exists, so lockout
 * behaviour reveals nothing about which emails are registered.
 *
 * DB-backed implementation: table `auth_login_failures` (`key` varchar(320) primary key, `failures`
 * integer, `window_start` timestamp, `locked_until` timestamp null, `updated_at` timestamp), rows older
 * than the window and not locked deleted periodically. `recordFailure` MUST be atomic (one
 * `INSERT … ON CONFLICT DO UPDATE` / `UPDATE … RETURNING` in a transaction) so that N replicas racing on
 * the same account cannot each grant an extra attempt. A Redis implementation is equally valid.
 */
export interface LoginFailureStore {
  /** Current state, or undefined when the key has no recorded failures. */
  get(key: string): Promise<LoginFailureState | undefined>;
  /**
   * Atomically counts one failure: starts a new window when the old one has passed, and sets
   * `lockedUntil = now + lockoutMs` when the count reaches `maxFailures`. Returns the new state.
   */
  recordFailure(key: string, policy: FailurePolicy): Promise<LoginFailureState>;
  /** Forgets the key (after a successful login or an admin unlock). */
  reset(key: string): Promise<void>;
}

/** The state after one more failure (shared by implementations so they agree on the rule). */
export function nextFailureState(prev: LoginFailureState | undefined, p: FailurePolicy): LoginFailureState {
  const fresh =
    !prev ||
    prev.windowStart + p.windowMs <= p.now ||
    (prev.lockedUntil !== null && prev.lockedUntil <= p.now);
  const failures = fresh ? 1 : prev.failures + 1;
  const windowStart = fresh ? p.now : prev.windowStart;
  const lockedUntil = failures >= p.maxFailures ? p.now + p.lockoutMs : null;
  return { failures, windowStart, lockedUntil };
}

/** In-memory {@link LoginFailureStore} with a bound on the number of keys (oldest dropped first). */
export class MemoryLoginFailureStore implements LoginFailureStore {
  readonly #map = new Map<string, LoginFailureState>();
  readonly #maxKeys: number;

  constructor(options: { maxKeys?: number } = {}) {
    this.#maxKeys = options.maxKeys ?? 100_000;
  }

  async get(key: string): Promise<LoginFailureState | undefined> {
    return this.#map.get(key);
  }

  async recordFailure(key: string, policy: FailurePolicy): Promise<LoginFailureState> {
    const next = nextFailureState(this.#map.get(key), policy);
    this.#map.delete(key);
    this.#map.set(key, next);
    if (this.#map.size > this.#maxKeys) this.#map.delete(this.#map.keys().next().value as string);
    return next;
  }

  async reset(key: string): Promise<void> {
    this.#map.delete(key);
  }
}
