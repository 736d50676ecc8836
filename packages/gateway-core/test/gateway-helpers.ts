import { parseConfig } from '../src/config/load-config.js';
import { createGateway, type Gateway } from '../src/gateway.js';
import { createLogger } from '../src/observability/logger.js';
import { type ScratchDatabase, scratchDatabase } from './db-helpers.js';

// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON response shapes.
type Json = any;

/** Password of the bootstrap administrator of test gateways. */
export const TEST_ADMIN_PASSWORD = 'Test-Gateway-Passw0rd!';

/**
 * Settings every test gateway gets unless a test overrides them: a known admin password, cheap Argon2id
 * parameters (tests hash many passwords; production keeps 64 MiB, 3 passes), and no rate limits (suites
 * send hundreds of requests a minute; rate limiting has its own tests).
 */
export const TEST_ENV: Record<string, string> = {
  PLATFORM_ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
  ARGON2ID_MEMORY_COST: '1024',
  ARGON2ID_TIME_COST: '1',
  RATE_LIMITING_ENABLED: 'false',
};

/**
 * A gateway on a scratch database plus a JSON request helper (in-process, through `app.request`). Requests
 * carry the bootstrap administrator's session token unless the test passes its own `authorization` header
 * (an empty one sends none).
 */
export interface TestGateway {
  gw: Gateway;
  scratch: ScratchDatabase;
  /** A session token of the bootstrap administrator. */
  adminToken: string;
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
    ...TEST_ENV,
    ...env,
  });
  const gw = await createGateway(config, { logger: createLogger('silent') });
  const adminToken = gw.auth
    ? await gw.auth.mintToken({ subject: config.PLATFORM_ADMIN_EMAIL, session: true })
    : '';
  return {
    gw,
    scratch,
    adminToken,
    async call(method, path, body, headers = {}) {
      const given = Object.keys(headers).find((h) => h.toLowerCase() === 'authorization');
      const auth: Record<string, string> =
        given === undefined ? (adminToken ? { authorization: `Bearer ${adminToken}` } : {}) : {};
      const sent = { ...headers };
      if (given !== undefined && sent[given] === '') delete sent[given];
      const init: RequestInit = { method, headers: { ...auth, ...sent } };
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
