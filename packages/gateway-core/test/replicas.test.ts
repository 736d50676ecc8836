import { setTimeout as sleep } from 'node:timers/promises';
import { describeWithServices, serviceUrls, uniqueName } from '@contextforge-internal/test-support';
import { expect, it } from 'vitest';
import { parseConfig } from '../src/config/load-config.js';
import { createGateway } from '../src/gateway.js';
import { createLogger } from '../src/observability/logger.js';
import { scratchDatabase } from './db-helpers.js';

await describeWithServices(['postgres', 'redis'], 'two replicas sharing PostgreSQL and Redis', () => {
  it('a write on one replica invalidates the cached copy on the other', async () => {
    const scratch = await scratchDatabase('postgres');
    const env = {
      DATABASE_URL: scratch.url,
      CACHE_TYPE: 'redis',
      REDIS_URL: serviceUrls.redis,
      CACHE_PREFIX: `${uniqueName('cfrep')}:`,
      AUTH_ENCRYPTION_SECRET: 'replica-secret-replica-secret-replica-00',
    };
    const a = await createGateway(parseConfig(env).config, { logger: createLogger('silent') });
    const b = await createGateway(parseConfig(env).config, { logger: createLogger('silent') });
    try {
      const created = await a.app.request('/v1/tools', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'shared', url: 'https://example.com' }),
      });
      const { id } = (await created.json()) as { id: string };
      const read = async () =>
        ((await (await a.app.request(`/v1/tools/${id}`)).json()) as { title: string | null }).title;
      expect(await read()).toBeNull(); // now cached on replica a
      await b.app.request(`/v1/tools/${id}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ title: 'from b' }),
      });
      const end = Date.now() + 10_000;
      while ((await read()) !== 'from b' && Date.now() < end) await sleep(10);
      expect(await read()).toBe('from b');
      expect((await (await a.app.request('/ready')).json()) as object).toMatchObject({
        checks: { cache: 'ok' },
      });
    } finally {
      await a.close();
      await b.close();
      await scratch.drop();
    }
  });
});
