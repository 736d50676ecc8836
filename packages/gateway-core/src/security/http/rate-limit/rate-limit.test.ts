import { describeWithServices, serviceUrls, uniqueName } from '@contextforge-internal/test-support';
import { Hono } from 'hono';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveApp } from '../../../../test/helpers/hono-server.js';
import type { Principal } from '../../authn/principal.js';
import { onSecurityError } from '../error-response.js';
import { defaultTierFor, rateLimit } from './rate-limit.js';
import { MemoryRateLimitStore, type RateLimitStore } from './rate-limit-store.js';
import { RedisRateLimitStore } from './redis-rate-limit-store.js';

describe('defaultTierFor', () => {
  it('classifies paths like ContextForge', () => {
    expect(defaultTierFor('/auth/login')).toBe('critical');
    expect(defaultTierFor('/v1/tokens')).toBe('high');
    expect(defaultTierFor('/admin/users')).toBe('high');
    expect(defaultTierFor('/servers/abc/mcp')).toBe('medium');
    expect(defaultTierFor('/health')).toBe('low');
  });
});

/** The GCRA contract, run against both stores. */
function storeContract(name: string, make: () => RateLimitStore, prefix: () => string) {
  it(`${name}: allows limit + burst at once, then refills at the steady rate`, async () => {
    const store = make();
    const key = `${prefix()}:burst`;
    const rule = { limit: 5, windowMs: 60_000, burst: 2 };
    const decisions = [];
    for (let i = 0; i < 8; i++) decisions.push(await store.hit(key, rule));
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, true, true, true, true, false]);
    expect(decisions.map((d) => d.remaining)).toEqual([6, 5, 4, 3, 2, 1, 0, 0]);
    expect(decisions[0]!.limit).toBe(7);
    const denied = decisions[7]!;
    expect(denied.retryAfterMs).toBeGreaterThan(11_000);
    expect(denied.retryAfterMs).toBeLessThanOrEqual(12_000);
    await store.reset(key);
    expect((await store.hit(key, rule)).allowed).toBe(true);
  });

  it(`${name}: keeps keys independent`, async () => {
    const store = make();
    const p = prefix();
    const rule = { limit: 1, windowMs: 60_000 };
    expect((await store.hit(`${p}:a`, rule)).allowed).toBe(true);
    expect((await store.hit(`${p}:a`, rule)).allowed).toBe(false);
    expect((await store.hit(`${p}:b`, rule)).allowed).toBe(true);
  });
}

describe('MemoryRateLimitStore', () => {
  storeContract(
    'memory',
    () => new MemoryRateLimitStore(),
    () => uniqueName('m'),
  );

  it('refills with time and stays bounded in keys', async () => {
    let now = 0;
    const store = new MemoryRateLimitStore({ now: () => now, maxKeys: 3 });
    const rule = { limit: 2, windowMs: 1000 };
    await store.hit('k', rule);
    await store.hit('k', rule);
    expect((await store.hit('k', rule)).allowed).toBe(false);
    now += 500;
    expect((await store.hit('k', rule)).allowed).toBe(true);
    for (const k of ['a', 'b', 'c', 'd']) await store.hit(k, { limit: 1, windowMs: 60_000 });
    // 'k' was the least recently hit and has been dropped: it starts afresh.
    expect((await store.hit('k', rule)).remaining).toBe(1);
  });
});

await describeWithServices(['redis'], 'RedisRateLimitStore (real Redis)', () => {
  let redis: Redis;
  const prefix = uniqueName('cf_rl_test');
  beforeAll(() => {
    redis = new Redis(serviceUrls.redis, { lazyConnect: false, maxRetriesPerRequest: 1 });
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  storeContract(
    'redis',
    () => new RedisRateLimitStore(redis, { keyPrefix: `${prefix}:` }),
    () => uniqueName('k'),
  );

  it('stores one key per subject with a TTL equal to its refill time, under the prefix', async () => {
    const store = new RedisRateLimitStore(redis, { keyPrefix: `${prefix}:` });
    await store.hit('ttl', { limit: 10, windowMs: 10_000 });
    const ttl = await redis.pttl(`${prefix}:ttl`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(1000);
  });

  it('shares counters between two gateway replicas (two connections)', async () => {
    const other = new Redis(serviceUrls.redis, { maxRetriesPerRequest: 1 });
    try {
      const a = new RedisRateLimitStore(redis, { keyPrefix: `${prefix}:` });
      const b = new RedisRateLimitStore(other, { keyPrefix: `${prefix}:` });
      const rule = { limit: 3, windowMs: 60_000 };
      const results = [
        await a.hit('shared', rule),
        await b.hit('shared', rule),
        await a.hit('shared', rule),
        await b.hit('shared', rule),
      ];
      expect(results.map((r) => r.allowed)).toEqual([true, true, true, false]);
    } finally {
      await other.quit();
    }
  });
});

describe('rateLimit middleware', () => {
  let server: Awaited<ReturnType<typeof serveApp>>;
  const users: Record<string, Principal> = {
    alice: {
      subject: 'alice@x',
      authMethod: 'api_token',
      tokenId: 'tok-1',
      isAdmin: false,
      teams: { kind: 'public-only' },
      roles: [],
    },
  };
  beforeAll(async () => {
    const app = new Hono<{ Variables: { principal: Principal | undefined } }>();
    app.onError(onSecurityError);
    app.use('*', async (c, next) => {
      c.set('principal', users[c.req.header('x-user') ?? '']);
      await next();
    });
    app.use(
      '*',
      rateLimit({ store: new MemoryRateLimitStore(), tiers: { critical: { limit: 3, windowMs: 60_000 } } }),
    );
    app.post('/auth/login', (c) => c.text('ok'));
    app.get('/health', (c) => c.text('ok'));
    server = await serveApp(app as unknown as Hono);
  });
  afterAll(() => server.close());

  it('answers 429 with Retry-After and X-RateLimit-* once a tier is exhausted, per IP', async () => {
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 4; i++) {
      last = await fetch(`${server.url}/auth/login`, { method: 'POST' });
      statuses.push(last.status);
      if (i === 0)
        expect([last.headers.get('x-ratelimit-limit'), last.headers.get('x-ratelimit-remaining')]).toEqual([
          '3',
          '2',
        ]);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThanOrEqual(19);
    expect(last!.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(((await last!.json()) as { error: unknown }).error).toMatchObject({
      code: 'RATE_LIMITED',
      details: { tier: 'critical' },
    });
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
  });

  it('validates tiers eagerly', () => {
    expect(() =>
      rateLimit({ store: new MemoryRateLimitStore(), tiers: { low: { limit: 0, windowMs: 1 } } }),
    ).toThrow(/tier 'low'/);
  });
});
