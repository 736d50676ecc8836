import { parseConfig } from '../src/config/load-config.js';
import { createGateway, type Gateway } from '../src/gateway.js';
import { createLogger } from '../src/observability/logger.js';
import { type ScratchDatabase, scratchDatabase } from './db-helpers.js';

// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON response shapes.
type Json = any;

/** A gateway on a scratch database plus a JSON request helper (in-process, through `app.request`). */
export interface TestGateway {
  gw: Gateway;
  scratch: ScratchDatabase;
  call(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: Json; headers: Headers }>;
  close(): Promise<void>;
}

/** Starts a gateway on a fresh database of `kind` with extra settings. */
export async function testGateway(
  kind: 'sqlite' | 'postgres' | 'mysql' = 'sqlite',
  env: Record<string, string> = {},
): Promise<TestGateway> {
  const scratch = await scratchDatabase(kind);
  const { config } = parseConfig({
    DATABASE_URL: scratch.url,
    AUTH_ENCRYPTION_SECRET: 'test-secret-test-secret-test-secret-0123',
    LOG_LEVEL: 'silent',
    ...env,
  });
  const gw = await createGateway(config, { logger: createLogger('silent') });
  return {
    gw,
    scratch,
    async call(method, path, body, headers = {}) {
      const init: RequestInit = { method, headers: { ...headers } };
      if (body !== undefined) {
        init.body = typeof body === 'string' ? body : JSON.stringify(body);
        (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
      }
      const res = await gw.app.request(path, init);
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON (metrics, robots.txt)
      }
      return { status: res.status, body: parsed, headers: res.headers };
    },
    async close() {
      await gw.close();
      await scratch.drop();
    },
  };
}
