import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load-config.js';
import { createGateway } from '../gateway.js';
import { createLogger } from '../observability/logger.js';
import { defineRoute } from './route-def.js';

describe('listening on a real socket', () => {
  it('serves HTTP on 127.0.0.1 with port 0 and stops, letting an in-flight request finish', async () => {
    const { config } = parseConfig({
      DATABASE_URL: 'sqlite::memory:',
      PORT: '0',
      LOG_LEVEL: 'silent',
      AUTH_ENCRYPTION_SECRET: 'x'.repeat(32),
    });
    const gw = await createGateway(config, {
      logger: createLogger('silent'),
      extraRoutes: ({ services }) => [
        defineRoute({
          method: 'GET',
          path: '/v1/tool-count',
          permission: 'tools.read',
          tag: 'Test',
          summary: 'count',
          handler: async () => ({
            body: { count: (await services.tools.list({ limit: 500, includeInactive: true })).items.length },
          }),
        }),
      ],
    });
    let entered!: () => void;
    const arrived = new Promise<void>((resolve) => {
      entered = resolve;
    });
    gw.app.get('/test-slow', async (c) => {
      entered();
      await new Promise((resolve) => setTimeout(resolve, 150));
      return c.text('done');
    });
    const running = await gw.listen();
    expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await (await fetch(`${running.url}/v1/tool-count`)).json()).toEqual({ count: 0 });
    const health = await fetch(`${running.url}/health`);
    expect(await health.json()).toEqual({ status: 'healthy', database: 'ok' });
    const inFlight = fetch(`${running.url}/test-slow`);
    await arrived;
    await gw.close();
    expect(await (await inFlight).text()).toBe('done');
    await expect(fetch(`${running.url}/health`)).rejects.toThrow();
  });
});
