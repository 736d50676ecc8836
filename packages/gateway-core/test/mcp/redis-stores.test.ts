import { describeWithServices, serviceUrls, uniqueName } from '@contextforge-internal/test-support';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { RedisEventStore, RedisMessageBus, RedisSessionStore } from '../../src/mcp/index.js';

const record = (id: string) => ({
  id,
  transport: 'streamable-http' as const,
  protocolVersion: '2025-11-25',
  scope: { kind: 'server' as const, serverId: 's' },
  principalId: 'p',
  clientCapabilities: { sampling: {} },
  createdAt: 1,
});

await describeWithServices(['redis'], 'Redis session store, event store and bus', () => {
  const prefix = uniqueName('mcpstores');
  let redis: Redis;
  let sub: Redis;
  beforeAll(() => {
    redis = new Redis(serviceUrls.redis);
    sub = new Redis(serviceUrls.redis);
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
    sub.disconnect();
  });

  it('round-trips records, expires idle ones and never resurrects a deleted one', async () => {
    const store = new RedisSessionStore(redis, { prefix });
    await store.create(record('a'), 60_000);
    expect(await store.get('a')).toEqual(record('a'));
    await store.update('a', { logLevel: 'info', subscriptions: [] }, 60_000);
    expect(await store.get('a')).toMatchObject({
      logLevel: 'info',
      subscriptions: [],
      clientCapabilities: { sampling: {} },
    });
    expect(await store.delete('a')).toBe(true);
    await store.update('a', { logLevel: 'debug' }, 60_000);
    expect(await store.get('a')).toBeUndefined();
    await store.create(record('b'), 50);
    await new Promise((r) => setTimeout(r, 120));
    expect(await store.get('b')).toBeUndefined();
  });

  it('trims each stream and drops a session’s streams on delete', async () => {
    const events = new RedisEventStore(redis, { prefix, maxEventsPerStream: 20 });
    const first = await events.append('sid', 'st', '{"n":0}');
    for (let i = 1; i < 500; i++) await events.append('sid', 'st', `{"n":${i}}`, i === 499);
    const len = await redis.xlen(`${prefix}:events:sid:st`);
    // MAXLEN ~ trims by whole macro-nodes: bounded near the cap, never the full 500.
    expect(len).toBeLessThan(250);
    const replay = await events.after('sid', first);
    expect(replay?.events.at(-1)).toMatchObject({ data: '{"n":499}', end: true });
    expect(await events.after('sid', 'unknown_1-0')).toBeUndefined();
    await events.setOwner('sid', 'st', 'replica-1', 60_000);
    expect(await events.getOwner('sid', 'st')).toBe('replica-1');
    await events.deleteSession('sid');
    expect(
      await redis.exists(`${prefix}:events:sid:st`, `${prefix}:owner:sid:st`, `${prefix}:streams:sid`),
    ).toBe(0);
  });

  it('delivers bus messages to subscribers only while subscribed', async () => {
    const bus = new RedisMessageBus(redis, sub);
    const got: string[] = [];
    const off = await bus.subscribe(`${prefix}:ch`, (m) => got.push(m));
    await bus.publish(`${prefix}:ch`, 'one');
    await expect.poll(() => got).toEqual(['one']);
    await off();
    await bus.publish(`${prefix}:ch`, 'two');
    await new Promise((r) => setTimeout(r, 50));
    expect(got).toEqual(['one']);
    await bus.close();
  });
});
