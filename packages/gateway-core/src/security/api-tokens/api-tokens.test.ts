import { describe, expect, it } from 'vitest';
import { isSecurityError } from '../errors.js';
import { generateApiToken, isApiTokenFormat } from './api-token-format.js';
import { ApiTokenHasher, deriveApiTokenPepper } from './api-token-hasher.js';
import { ApiTokenService, checkApiTokenIp } from './api-token-service.js';
import { MemoryApiTokenStore } from './api-token-store.js';
import { LastUsedTracker } from './last-used-tracker.js';

const pepper = deriveApiTokenPepper('an-auth-encryption-secret-of-32+-bytes!!');

function setup(options: { maxLifetimeDays?: number } = {}) {
  let now = 1_700_000_000_000;
  const store = new MemoryApiTokenStore();
  const tracker = new LastUsedTracker({ store, debounceMs: 60_000, flushIntervalMs: 0, now: () => now });
  const service = new ApiTokenService({
    store,
    hasher: new ApiTokenHasher(pepper),
    tracker,
    now: () => now,
    ...options,
  });
  return { store, tracker, service, advance: (ms: number) => (now += ms) };
}

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (err) {
    return isSecurityError(err) ? `${err.code}:${err.status}` : String(err);
  }
}

describe('API token format and hashing', () => {
  it('generates prefixed base62 tokens with a checksum that catches typos', () => {
    const { token, displayPrefix } = generateApiToken();
    expect(token).toMatch(/^cfk_[0-9A-Za-z]{46}$/);
    expect(displayPrefix).toBe(token.slice(0, 12));
    expect(isApiTokenFormat(token)).toBe(true);
    const typo = token.slice(0, 10) + (token[10] === 'a' ? 'b' : 'a') + token.slice(11);
    expect(isApiTokenFormat(typo)).toBe(false);
    expect(isApiTokenFormat('cfk_short')).toBe(false);
    expect(new Set(Array.from({ length: 50 }, () => generateApiToken().token)).size).toBe(50);
  });

  it('hashes with a keyed HMAC: stable per pepper, different across peppers', () => {
    const a = new ApiTokenHasher(pepper);
    const b = new ApiTokenHasher(deriveApiTokenPepper('another-secret-that-is-long-enough-too'));
    expect(a.hash('cfk_x')).toMatch(/^[0-9a-f]{64}$/);
    expect(a.hash('cfk_x')).toBe(a.hash('cfk_x'));
    expect(a.hash('cfk_x')).not.toBe(b.hash('cfk_x'));
    expect(() => deriveApiTokenPepper('short')).toThrow(/AUTH_ENCRYPTION_SECRET/);
  });
});

describe('ApiTokenService', () => {
  it('issues a token shown once, stores only its hash, and verifies it', async () => {
    const { service, store } = setup();
    const { token, record } = await service.issue({
      name: 'ci',
      ownerEmail: 'Dev@Example.com',
      teamId: 'team-1',
      scope: { serverIds: ['srv-1'], permissions: ['tools.execute'] },
      expiresInDays: 30,
    });
    expect(JSON.stringify(store.get(record.id))).not.toContain(token);
    const v = await service.verify(token, '203.0.113.9');
    expect(v).toMatchObject({ id: record.id, ownerEmail: 'dev@example.com', teamId: 'team-1' });
    expect(v.scope).toEqual({ serverIds: ['srv-1'], permissions: ['tools.execute'], ipRestrictions: [] });
  });

  it('rejects malformed, unknown, revoked and expired tokens with distinct codes', async () => {
    const { service, advance } = setup();
    expect(await code(service.verify('Bearer nonsense'))).toBe('TOKEN_INVALID:401');
    expect(await code(service.verify(generateApiToken().token))).toBe('TOKEN_INVALID:401');
    const a = await service.issue({ name: 'a', ownerEmail: 'u@x', expiresInDays: 1 });
    const b = await service.issue({ name: 'b', ownerEmail: 'u@x' });
    expect(await service.revoke(b.record.id, 'admin@x')).toBe(true);
    expect(await code(service.verify(b.token))).toBe('TOKEN_REVOKED:401');
    expect(await code(service.verify(a.token))).toBe('ok');
    advance(86_400_001);
    expect(await code(service.verify(a.token))).toBe('TOKEN_EXPIRED:401');
    expect(await service.revoke('missing')).toBe(false);
  });

  it('enforces IPv4 and IPv6 restrictions, including for mapped addresses', async () => {
    const { service } = setup();
    const { token } = await service.issue({
      name: 'ip',
      ownerEmail: 'u@x',
      scope: { ipRestrictions: ['10.0.0.0/8', '2001:db8::/32'] },
    });
    expect(await code(service.verify(token, '10.1.2.3'))).toBe('ok');
    expect(await code(service.verify(token, '::ffff:10.1.2.3'))).toBe('ok');
    expect(await code(service.verify(token, '2001:db8::5'))).toBe('ok');
    expect(await code(service.verify(token, '192.168.1.1'))).toBe('IP_NOT_ALLOWED:403');
    expect(await code(service.verify(token, 'garbage'))).toBe('IP_NOT_ALLOWED:403');
    const v = await service.verify(token);
    expect(() => checkApiTokenIp(v, '11.0.0.1')).toThrow(/may not be used from 11\.0\.0\.1/);
  });

  it('validates input naming the field', async () => {
    const { service } = setup({ maxLifetimeDays: 90 });
    const err = await service
      .issue({
        name: 'x',
        ownerEmail: 'u@x',
        scope: { ipRestrictions: ['10.0.0.0/8', 'nope'] },
        expiresInDays: 1,
      })
      .catch((e: unknown) => e);
    expect(isSecurityError(err) && [err.code, err.field]).toEqual([
      'VALIDATION_FAILED',
      'scope.ip_restrictions.1',
    ]);
    expect(await code(service.issue({ name: '', ownerEmail: 'u@x', expiresInDays: 1 }))).toBe(
      'VALIDATION_FAILED:422',
    );
    expect(await code(service.issue({ name: 'x', ownerEmail: 'u@x' }))).toBe('VALIDATION_FAILED:422');
    expect(await code(service.issue({ name: 'x', ownerEmail: 'u@x', expiresInDays: 91 }))).toBe(
      'VALIDATION_FAILED:422',
    );
  });
});

describe('LastUsedTracker', () => {
  it('debounces per token and writes in one batch per flush', async () => {
    const { service, store, tracker, advance } = setup();
    const a = await service.issue({ name: 'a', ownerEmail: 'u@x' });
    const b = await service.issue({ name: 'b', ownerEmail: 'u@x' });
    for (let i = 0; i < 100; i++) {
      await service.verify(a.token);
      await service.verify(b.token);
    }
    await tracker.flush();
    expect(store.touchCalls).toBe(1);
    expect(store.get(a.record.id)?.lastUsedAt).toBe(1_700_000_000_000);
    advance(30_000);
    await service.verify(a.token);
    await tracker.flush();
    expect(store.touchCalls).toBe(1);
    advance(31_000);
    await service.verify(a.token);
    await tracker.close();
    expect(store.touchCalls).toBe(2);
    expect(store.get(a.record.id)?.lastUsedAt).toBe(1_700_000_061_000);
  });

  it('keeps failed batches for the next flush and reports the error', async () => {
    const errors: unknown[] = [];
    let fail = true;
    const written: string[] = [];
    const tracker = new LastUsedTracker({
      store: {
        touchLastUsed: async (entries) => {
          if (fail) throw new Error('db down');
          written.push(...entries.map((e) => e.id));
        },
      },
      flushIntervalMs: 0,
      onError: (e) => errors.push(e),
    });
    tracker.touch('t1');
    await tracker.flush();
    expect(errors).toHaveLength(1);
    fail = false;
    await tracker.flush();
    expect(written).toEqual(['t1']);
  });
});
