import { setTimeout as sleep } from 'node:timers/promises';
import { describeWithServices, serviceUrls, uniqueName } from '@contextforge-internal/test-support';
import { describe, expect, it } from 'vitest';
import { LruMap } from './lru-map.js';
import { MemoryCache, NullCache } from './memory-cache.js';
import { RedisCache } from './redis-cache.js';

describe('LruMap', () => {
  it('evicts the least recently used entry and expires entries', () => {
    const lru = new LruMap(2);
    lru.set('a', 1, 1000, 0);
    lru.set('b', 2, 1000, 0);
    expect(lru.get('a', 1)).toBe(1); // a is now most recent
    lru.set('c', 3, 1000, 2);
    expect(lru.get('b', 3)).toBeUndefined();
    expect(lru.get('a', 3)).toBe(1);
    expect(lru.get('c', 1500)).toBeUndefined();
    lru.set('tool:1', 1, 1000);
    lru.set('tool:2', 1, 1000);
    expect(lru.size).toBe(2); // capacity 2: the older 'a' was evicted
    lru.deletePrefix('tool:');
    expect(lru.size).toBe(0);
    expect(() => new LruMap(0)).toThrow(RangeError);
  });
});

describe('MemoryCache and NullCache', () => {
  it('store, expire and delete by key and prefix; the null cache stores nothing', async () => {
    const cache = new MemoryCache(10);
    await cache.set('k', { v: 1 }, 60);
    expect(await cache.get('k')).toEqual({ v: 1 });
    await cache.deletePrefix('k');
    expect(await cache.get('k')).toBeUndefined();
    const none = new NullCache();
    await none.set('k', 1, 60);
    expect(await none.get('k')).toBeUndefined();
    expect(await none.ping()).toBe(true);
  });
});

await describeWithServices(['redis'], 'RedisCache', () => {
  it('shares values between two clients and invalidates the other client within one pub/sub hop', async () => {
    const prefix = `${uniqueName('cfcache')}:`;
    const a = await RedisCache.connect({ url: serviceUrls.redis, prefix, maxLocalEntries: 100 });
    const b = await RedisCache.connect({ url: serviceUrls.redis, prefix, maxLocalEntries: 100 });
    try {
      await a.set('tool:id:1', { name: 'one' }, 60);
      expect(await b.get('tool:id:1')).toEqual({ name: 'one' }); // from Redis, now in b's local level
      expect(b.localSize()).toBe(1);
      await a.delete('tool:id:1');
      await waitFor(() => b.localSize() === 0);
      expect(await b.get('tool:id:1')).toBeUndefined();
      await a.set('server:id:1', 1, 60);
      await a.set('server:id:2', 2, 60);
      await b.get('server:id:1');
      await b.deletePrefix('server:');
      await waitFor(async () => (await a.get('server:id:2')) === undefined);
      expect(await a.ping()).toBe(true);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('fails to connect with CACHE_UNAVAILABLE naming the URL without its password', async () => {
    const error = await RedisCache.connect({
      url: 'redis://:hunter2@127.0.0.1:1',
      prefix: 'x:',
      maxLocalEntries: 10,
    }).catch((e: unknown) => e);
    expect((error as { code: string }).code).toBe('CACHE_UNAVAILABLE');
    expect((error as Error).message).not.toContain('hunter2');
  });
});

async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await sleep(10);
  }
}
