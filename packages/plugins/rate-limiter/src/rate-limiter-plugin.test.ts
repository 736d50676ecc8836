import { createServer } from 'node:net';
import {
  createGlobalContext,
  type Plugin,
  type PluginContext,
  silentLogger,
} from '@contextforge/plugin-framework';
import { describeWithServices, serviceUrls, uniqueName } from '@contextforge-internal/test-support';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { configJsonSchema, createPlugin, manifest } from './index.js';

async function plugin(config: Record<string, unknown>): Promise<Plugin> {
  const p = createPlugin({
    name: 'rl',
    config,
    entry: {} as never,
    logger: silentLogger,
    configDir: '.',
  }) as Plugin;
  await p.initialize?.();
  return p;
}

const ctx = (user?: string, tenantId?: string) =>
  ({
    state: {},
    metadata: {},
    globalContext: createGlobalContext({ ...(user ? { user } : {}), ...(tenantId ? { tenantId } : {}) }),
  }) as PluginContext;
const call = (p: Plugin, tool: string, context: PluginContext) =>
  p.hooks.tool_pre_invoke!({ name: tool, args: {} }, context);

describe('rate-limiter plugin (memory)', () => {
  it('limits each user separately and answers like a 429', async () => {
    const p = await plugin({ by_user: '2/m', by_tenant: null });
    expect(await call(p, 't', ctx('alice'))).toEqual({});
    expect(await call(p, 't', ctx('alice'))).toEqual({});
    const third = await call(p, 't', ctx('alice'));
    expect(third.violation).toMatchObject({
      reason: 'Rate limit exceeded',
      code: 'RATE_LIMIT_EXCEEDED',
      httpStatusCode: 429,
      httpHeaders: {
        'Retry-After': expect.stringMatching(/^\d+$/),
        'X-RateLimit-Limit': '2',
        'X-RateLimit-Remaining': '0',
      },
      details: { scope: 'user', limit: 2, window_seconds: 60 },
    });
    expect(third.violation?.description).toMatch(/^user limit of 2\/m exceeded; retry in \d+ s$/);
    expect(await call(p, 't', ctx('bob'))).toEqual({});
    await p.shutdown?.();
  });

  it('limits tenants and tools (per user)', async () => {
    const p = await plugin({ by_user: null, by_tenant: '4/m', by_tool: { search: '1/m' } });
    expect(await call(p, 'search', ctx('a', 't1'))).toEqual({});
    expect((await call(p, 'search', ctx('a', 't1'))).violation?.details).toMatchObject({ scope: 'tool' });
    expect(await call(p, 'search', ctx('b', 't1'))).toEqual({});
    expect(await call(p, 'other', ctx('c', 't1'))).toEqual({});
    // The refused tool call still counted against the tenant: its 5th request is refused.
    expect((await call(p, 'other', ctx('d', 't1'))).violation?.details).toMatchObject({ scope: 'tenant' });
    expect(await call(p, 'other', ctx('d', 't2'))).toEqual({});
    expect(await p.hooks.prompt_pre_fetch!({ prompt_id: 'x', args: {} }, ctx('e'))).toEqual({});
  });

  it('rejects malformed rates naming the field', async () => {
    await expect(plugin({ by_user: 'sixty per minute' })).rejects.toThrow(
      'config.by_user: must look like "60/m"',
    );
    await expect(plugin({ by_tool: { search: '10/fortnight' } })).rejects.toThrow(
      'config.by_tool.search: must look like "60/m"',
    );
    expect(manifest.defaultConfig).toMatchObject({ by_user: '60/m', backend: 'memory' });
    expect(configJsonSchema).toMatchObject({ type: 'object' });
  });

  it('falls back to memory when Redis is unreachable, or fails when fallback is off', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as { port: number };
    await new Promise((r) => server.close(r));
    const url = `redis://127.0.0.1:${port}`;
    const p = await plugin({ backend: 'redis', redis_url: url, by_user: '1/m', by_tenant: null });
    expect(await call(p, 't', ctx('u'))).toEqual({});
    expect((await call(p, 't', ctx('u'))).violation?.code).toBe('RATE_LIMIT_EXCEEDED');
    await p.shutdown?.();
    await expect(plugin({ backend: 'redis', redis_url: url, redis_fallback: false })).rejects.toThrow(
      'cannot reach Redis for the rate limiter',
    );
  });
});

const prefix = uniqueName('rl_test');
await describeWithServices(['redis'], 'rate-limiter plugin (Redis)', () => {
  const admin = new Redis(serviceUrls.redis, { lazyConnect: true });
  afterAll(async () => {
    await admin.connect().catch(() => {});
    const keys = await admin.keys(`${prefix}*`);
    if (keys.length > 0) await admin.del(...keys);
    admin.disconnect();
  });

  for (const algorithm of ['fixed_window', 'sliding_window']) {
    it(`shares ${algorithm} counters between two gateway replicas`, async () => {
      const config = {
        backend: 'redis',
        redis_url: serviceUrls.redis,
        redis_key_prefix: `${prefix}_${algorithm}`,
        by_user: '3/m',
        by_tenant: null,
        algorithm,
      };
      const replicaA = await plugin(config);
      const replicaB = await plugin(config);
      const user = ctx(uniqueName('user'));
      expect(await call(replicaA, 't', user)).toEqual({});
      expect(await call(replicaB, 't', user)).toEqual({});
      expect(await call(replicaA, 't', user)).toEqual({});
      const refused = await call(replicaB, 't', user);
      expect(refused.violation).toMatchObject({
        code: 'RATE_LIMIT_EXCEEDED',
        details: { scope: 'user', limit: 3 },
      });
      expect(Number(refused.violation?.httpHeaders?.['Retry-After'])).toBeGreaterThanOrEqual(1);
      await replicaA.shutdown?.();
      await replicaB.shutdown?.();
      await admin.connect().catch(() => {});
      expect((await admin.keys(`${prefix}_${algorithm}:user:*`)).length).toBe(1);
    });
  }
});
