import { SecurityError } from '../errors.js';
import type { LoginFailureStore } from './login-failure-store.js';
import type { PasswordHasher } from './password-hasher.js';

/** Options of {@link LoginGuard}. */
export interface LoginGuardOptions {
  hasher: PasswordHasher;
  store: LoginFailureStore;
  /** Failures before lockout [MAX_FAILED_LOGIN_ATTEMPTS]; default 5. */
  maxFailures?: number;
  /** Counting window; default 60 min. */
  windowMs?: number;
  /** Lockout duration [ACCOUNT_LOCKOUT_DURATION_MINUTES]; default 30 min. */
  lockoutMs?: number;
  /** Clock, for tests. */
  now?: () => number;
}

/** A user as the login needs it: the stored Argon2id PHC hash (null for SSO-only accounts). */
export interface LoginUser {
  readonly passwordHash: string | null;
}

/** A successful login. */
export interface LoginSuccess<U> {
  readonly user: U;
  /** The stored hash uses old parameters: store `hasher.hash(password)` now. */
  readonly needsRehash: boolean;
}

const INVALID = 'invalid email or password';

/**
 * Email + password login with lockout and timing-equalised answers. Unknown users, SSO-only users and
 * locked accounts still cost one Argon2id verification (against a dummy hash made with the same
 * parameters), and every failure reads "invalid email or password", so neither the answer nor its timing
 * tells whether an account exists. Failures are counted per normalised email, existing or not.
 */
export class LoginGuard {
  readonly #o: Required<Omit<LoginGuardOptions, 'hasher' | 'store' | 'now'>>;
  readonly #hasher: PasswordHasher;
  readonly #store: LoginFailureStore;
  readonly #now: () => number;
  #dummy: Promise<string> | undefined;

  constructor(options: LoginGuardOptions) {
    this.#hasher = options.hasher;
    this.#store = options.store;
    this.#now = options.now ?? Date.now;
    this.#o = {
      maxFailures: options.maxFailures ?? 5,
      windowMs: options.windowMs ?? 3_600_000,
      lockoutMs: options.lockoutMs ?? 1_800_000,
    };
    if (!(this.#o.maxFailures >= 1)) {
      throw new SecurityError('CONFIG_INVALID', 'MAX_FAILED_LOGIN_ATTEMPTS: expected >= 1', {
        field: 'MAX_FAILED_LOGIN_ATTEMPTS',
      });
    }
  }

  /** Normalises an email into the failure-counter key. */
  static key(email: string): string {
    return email.trim().toLowerCase();
  }

  /**
   * Checks `password` for `email`, looking the user up with `findUser` (by normalised email).
   * @throws SecurityError `INVALID_CREDENTIALS` or `ACCOUNT_LOCKED` (with `Retry-After`); both 401.
   */
  async authenticate<U extends LoginUser>(
    email: string,
    password: string,
    findUser: (normalisedEmail: string) => Promise<U | undefined>,
  ): Promise<LoginSuccess<U>> {
    const key = LoginGuard.key(email);
    const now = this.#now();
    const state = await this.#store.get(key);
    if (state?.lockedUntil && state.lockedUntil > now) {
      await this.#hasher.verify(await this.#dummyHash(), password);
      throw this.#locked(state.lockedUntil - now);
    }
    const user = await findUser(key);
    const stored = user?.passwordHash ?? null;
    const ok = await this.#hasher.verify(stored ?? (await this.#dummyHash()), password);
    if (!ok || !user || stored === null) {
      const next = await this.#store.recordFailure(key, { now, ...this.#o });
      if (next.lockedUntil !== null) throw this.#locked(next.lockedUntil - now);
      throw new SecurityError('INVALID_CREDENTIALS', INVALID);
    }
    if (state) await this.#store.reset(key);
    return { user, needsRehash: this.#hasher.needsRehash(stored) };
  }

  /** Clears the lockout of `email` (admin unlock, password reset). */
  async unlock(email: string): Promise<void> {
    await this.#store.reset(LoginGuard.key(email));
  }

  #dummyHash(): Promise<string> {
    // Made once, lazily, with the real parameters, from a random string nobody can log in with.
    this.#dummy ??= this.#hasher.hash(`dummy-${Math.random()}-${this.#now()}`);
    return this.#dummy;
  }

  #locked(remainingMs: number): SecurityError {
    const seconds = Math.max(1, Math.ceil(remainingMs / 1000));
    return new SecurityError('ACCOUNT_LOCKED', `too many failed logins; try again in ${seconds} s`, {
      details: { retryAfterSeconds: seconds },
      headers: { 'Retry-After': String(seconds) },
    });
  }
}
