import { describe, expect, it } from 'vitest';
import { isSecurityError } from '../errors.js';
import { MemoryLoginFailureStore } from './login-failure-store.js';
import { LoginGuard } from './login-guard.js';
import { PasswordHasher } from './password-hasher.js';
import {
  assertPassword,
  checkPassword,
  DEFAULT_PASSWORD_POLICY,
  passwordPolicyFromEnv,
} from './password-policy.js';

// Cheap parameters keep the suite fast; one test covers the production defaults.
const fast = new PasswordHasher({ timeCost: 1, memoryCost: 1024 });

describe('PasswordHasher', () => {
  it('hashes with argon2id t=3, m=64 MiB, p=1 by default and verifies', async () => {
    const h = new PasswordHasher();
    const phc = await h.hash('Correct-horse-1');
    expect(phc).toMatch(/^\$argon2id\$v=19\$m=65536,t=3,p=1\$/);
    expect(await h.verify(phc, 'Correct-horse-1')).toBe(true);
    expect(await h.verify(phc, 'correct-horse-1')).toBe(false);
    expect(h.needsRehash(phc)).toBe(false);
  });

  it('treats malformed hashes and oversize passwords as mismatches, and flags old parameters for rehash', async () => {
    expect(await fast.verify('not-a-hash', 'x')).toBe(false);
    expect(await fast.verify(await fast.hash('x'), 'x'.repeat(5000))).toBe(false);
    await expect(fast.hash('x'.repeat(5000))).rejects.toMatchObject({ code: 'PASSWORD_POLICY' });
    expect(new PasswordHasher().needsRehash(await fast.hash('x'))).toBe(true);
    expect(fast.needsRehash('garbage')).toBe(true);
  });

  it('rejects bad parameters naming the setting', () => {
    expect(() => new PasswordHasher({ timeCost: 0 })).toThrow(/ARGON2ID_TIME_COST/);
    expect(() => new PasswordHasher({ memoryCost: 4 })).toThrow(/ARGON2ID_MEMORY_COST/);
  });
});

describe('password policy', () => {
  it('lists every broken rule and explains them in one message', () => {
    expect(checkPassword('abc')).toEqual([
      'too-short',
      'missing-uppercase',
      'missing-digit',
      'missing-special',
    ]);
    expect(checkPassword('Str0ng!pass')).toEqual([]);
    expect(checkPassword('Alice#2024x', DEFAULT_PASSWORD_POLICY, 'alice@example.com')).toEqual([
      'contains-email',
    ]);
    expect(() => assertPassword('short')).toThrow(
      'password: must have at least 8 characters, an uppercase letter, a digit, a special character',
    );
  });

  it('is configurable from ContextForge variables', () => {
    const p = passwordPolicyFromEnv({ PASSWORD_MIN_LENGTH: '12', PASSWORD_REQUIRE_SPECIAL: 'false' });
    expect(checkPassword('Abcdefghijk1', p)).toEqual([]);
    expect(checkPassword('Abcdefgh1', p)).toEqual(['too-short']);
    expect(() => passwordPolicyFromEnv({ PASSWORD_MIN_LENGTH: 'x' })).toThrow(/PASSWORD_MIN_LENGTH/);
  });
});

/** Counts real verifications so tests can see that every path pays for one. */
class CountingHasher extends PasswordHasher {
  verifies = 0;
  override async verify(phc: string, password: string): Promise<boolean> {
    this.verifies++;
    return super.verify(phc, password);
  }
}

describe('LoginGuard', () => {
  async function setup() {
    const hasher = new CountingHasher({ timeCost: 1, memoryCost: 1024 });
    let now = 1_000_000;
    const users = new Map([
      ['bob@example.com', { email: 'bob@example.com', passwordHash: await hasher.hash('Right-pass-1') }],
    ]);
    users.set('sso@example.com', { email: 'sso@example.com', passwordHash: null as unknown as string });
    const guard = new LoginGuard({
      hasher,
      store: new MemoryLoginFailureStore(),
      maxFailures: 3,
      lockoutMs: 60_000,
      now: () => now,
    });
    const find = async (e: string) => users.get(e);
    return { hasher, guard, find, advance: (ms: number) => (now += ms) };
  }

  async function code(p: Promise<unknown>) {
    try {
      await p;
      return 'ok';
    } catch (err) {
      return isSecurityError(err) ? err.code : String(err);
    }
  }

  it('logs in with the right password, case-insensitively on the email', async () => {
    const { guard, find } = await setup();
    const r = await guard.authenticate(' Bob@Example.com ', 'Right-pass-1', find);
    expect(r.user.email).toBe('bob@example.com');
    expect(r.needsRehash).toBe(false);
  });

  it('answers unknown users, SSO-only users and wrong passwords identically, each after one argon2 verification', async () => {
    const { guard, find, hasher } = await setup();
    const errors: unknown[] = [];
    for (const [email, pw] of [
      ['nobody@example.com', 'x'],
      ['sso@example.com', 'x'],
      ['bob@example.com', 'wrong'],
    ]) {
      hasher.verifies = 0;
      errors.push(await guard.authenticate(email!, pw!, find).catch((e: unknown) => e));
      expect(hasher.verifies).toBe(1);
    }
    const shapes = errors.map((e) => isSecurityError(e) && [e.code, e.status, e.message]);
    expect(shapes).toEqual(Array(3).fill(['INVALID_CREDENTIALS', 401, 'invalid email or password']));
  });

  it('locks after maxFailures within the window, still verifying, and unlocks after the lockout', async () => {
    const { guard, find, hasher, advance } = await setup();
    expect(await code(guard.authenticate('bob@example.com', 'bad', find))).toBe('INVALID_CREDENTIALS');
    expect(await code(guard.authenticate('bob@example.com', 'bad', find))).toBe('INVALID_CREDENTIALS');
    const third = await guard.authenticate('bob@example.com', 'bad', find).catch((e: unknown) => e);
    expect(isSecurityError(third) && [third.code, third.headers?.['Retry-After']]).toEqual([
      'ACCOUNT_LOCKED',
      '60',
    ]);
    hasher.verifies = 0;
    expect(await code(guard.authenticate('bob@example.com', 'Right-pass-1', find))).toBe('ACCOUNT_LOCKED');
    expect(hasher.verifies).toBe(1);
    advance(61_000);
    expect(await code(guard.authenticate('bob@example.com', 'Right-pass-1', find))).toBe('ok');
  });

  it('locks unknown emails the same way, and a success resets the counter', async () => {
    const { guard, find } = await setup();
    for (let i = 0; i < 2; i++) await code(guard.authenticate('ghost@example.com', 'x', find));
    expect(await code(guard.authenticate('ghost@example.com', 'x', find))).toBe('ACCOUNT_LOCKED');
    await code(guard.authenticate('bob@example.com', 'bad', find));
    await code(guard.authenticate('bob@example.com', 'bad', find));
    expect(await code(guard.authenticate('bob@example.com', 'Right-pass-1', find))).toBe('ok');
    expect(await code(guard.authenticate('bob@example.com', 'bad', find))).toBe('INVALID_CREDENTIALS');
  });

  it('restarts counting when the window has passed', async () => {
    const { guard, find, advance } = await setup();
    await code(guard.authenticate('bob@example.com', 'bad', find));
    await code(guard.authenticate('bob@example.com', 'bad', find));
    advance(3_600_001);
    expect(await code(guard.authenticate('bob@example.com', 'bad', find))).toBe('INVALID_CREDENTIALS');
  });
});
