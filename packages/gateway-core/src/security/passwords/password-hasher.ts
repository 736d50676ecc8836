import { hash as argon2Hash, verify as argon2Verify, parseOptions } from '@node-rs/argon2';
import { SecurityError } from '../errors.js';

/** Argon2id cost parameters (ContextForge: ARGON2ID_TIME_COST, ARGON2ID_MEMORY_COST, ARGON2ID_PARALLELISM). */
export interface Argon2Params {
  /** Iterations; default 3. */
  timeCost?: number;
  /** Memory in KiB; default 65 536 (64 MiB). */
  memoryCost?: number;
  /** Lanes; default 1. */
  parallelism?: number;
}

// `Algorithm.Argon2id` of @node-rs/argon2 is a `const enum`, which isolatedModules cannot inline.
const ARGON2ID = 2;

/** Passwords longer than this are refused before hashing: Argon2 cost is per byte of input too. */
export const MAX_PASSWORD_BYTES = 1024;

/**
 * Argon2id password hashing through `@node-rs/argon2`: prebuilt N-API binaries for every platform we
 * ship (no node-gyp, no approved install script, no compiler in the container), hashing on libuv's
 * thread pool so the event loop stays free, and standard PHC strings
 * (`$argon2id$v=19$m=65536,t=3,p=1$…`) — the same format ContextForge's argon2-cffi writes, so users
 * migrated from ContextForge keep their passwords. (`argon2` 0.45.1's prebuilt binary segfaults on
 * Node 20 here; it works only after a source rebuild.)
 */
export class PasswordHasher {
  readonly #params: Required<Argon2Params>;

  /** @throws SecurityError `CONFIG_INVALID` for parameters below Argon2's minimums. */
  constructor(params: Argon2Params = {}) {
    this.#params = {
      timeCost: params.timeCost ?? 3,
      memoryCost: params.memoryCost ?? 65_536,
      parallelism: params.parallelism ?? 1,
    };
    const { timeCost, memoryCost, parallelism } = this.#params;
    if (!Number.isInteger(timeCost) || timeCost < 1) bad('ARGON2ID_TIME_COST', 'an integer >= 1', timeCost);
    if (!Number.isInteger(parallelism) || parallelism < 1 || parallelism > 255)
      bad('ARGON2ID_PARALLELISM', '1..255', parallelism);
    if (!Number.isInteger(memoryCost) || memoryCost < 8 * parallelism)
      bad('ARGON2ID_MEMORY_COST', `KiB >= ${8 * parallelism}`, memoryCost);
  }

  /** The parameters new hashes use. */
  get params(): Readonly<Required<Argon2Params>> {
    return this.#params;
  }

  /**
   * Hashes a password into a PHC string.
   * @throws SecurityError `PASSWORD_POLICY` when the password exceeds {@link MAX_PASSWORD_BYTES}.
   */
  async hash(password: string): Promise<string> {
    checkLength(password);
    return argon2Hash(password, { algorithm: ARGON2ID, ...this.#params });
  }

  /**
   * True when `password` matches `phc`. A malformed stored hash or an oversize password is a mismatch,
   * never an exception (the caller answers "invalid credentials" either way).
   */
  async verify(phc: string, password: string): Promise<boolean> {
    if (Buffer.byteLength(password) > MAX_PASSWORD_BYTES) return false;
    try {
      return await argon2Verify(phc, password);
    } catch {
      return false;
    }
  }

  /** True when `phc` was made with other parameters (or another algorithm): rehash after a successful login. */
  needsRehash(phc: string): boolean {
    try {
      const o = parseOptions(phc);
      return (
        o.algorithm !== ARGON2ID ||
        o.timeCost !== this.#params.timeCost ||
        o.memoryCost !== this.#params.memoryCost ||
        o.parallelism !== this.#params.parallelism
      );
    } catch {
      return true;
    }
  }
}

function checkLength(password: string): void {
  if (Buffer.byteLength(password) > MAX_PASSWORD_BYTES) {
    throw new SecurityError('PASSWORD_POLICY', `password: at most ${MAX_PASSWORD_BYTES} bytes`, {
      field: 'password',
      details: { violations: ['too-long'] },
    });
  }
}

function bad(field: string, expected: string, got: unknown): never {
  throw new SecurityError('CONFIG_INVALID', `${field}: expected ${expected}, got ${String(got)}`, { field });
}
