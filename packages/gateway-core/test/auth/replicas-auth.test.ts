// Two gateways sharing PostgreSQL and Redis: a token verified (and cached) on one replica is refused there
// as soon as the other revokes it, role and membership changes take effect on both at once, and rate limits
// are counted in Redis for the pair.
import { describeWithServices, serviceUrls, uniqueName } from '@contextforge-internal/test-support';
import { expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.js';
import { createGateway, type Gateway } from '../../src/gateway.js';
import { createLogger } from '../../src/observability/logger.js';
import { scratchDatabase } from '../db-helpers.js';
import { TEST_ENV } from '../gateway-helpers.js';

await describeWithServices(
  ['postgres', 'redis'],
  'authentication across replicas (PostgreSQL + Redis)',
  () => {
    it('revocations, user changes and rate limits reach every replica', async () => {
      const scratch = await scratchDatabase('postgres');
      const env = {
        DATABASE_URL: scratch.url,
        CACHE_TYPE: 'redis',
        REDIS_URL: serviceUrls.redis,
        CACHE_PREFIX: `${uniqueName('cfauth')}:`,
        AUTH_ENCRYPTION_SECRET: 'replica-auth-secret-replica-auth-secret',
        ...TEST_ENV,
        AUTH_CACHE_USER_TTL: '300', // long: only the pub/sub invalidation can explain a prompt refusal
      };
      const gateways: Gateway[] = [];
      try {
        for (let i = 0; i < 2; i++)
          gateways.push(await createGateway(parseConfig(env).config, { logger: createLogger('silent') }));
        const [a, b] = gateways as [Gateway, Gateway];
        const call = async (g: Gateway, method: string, path: string, token: string, body?: unknown) => {
          const res = await g.app.request(path, {
            method,
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            ...(body ? { body: JSON.stringify(body) } : {}),
          });
          return { status: res.status, body: (await res.json()) as Record<string, unknown> };
        };
        /** The status of `probe()` once it is no longer 200 (or still 200 after 5 s). */
        const settle = async (probe: () => Promise<{ status: number }>): Promise<number> => {
          const deadline = Date.now() + 5000;
          for (;;) {
            const { status } = await probe();
            if (status !== 200 || Date.now() > deadline) return status;
            await new Promise((r) => setTimeout(r, 20));
          }
        };
        const admin = await a.auth!.mintToken({ subject: 'admin@example.com', session: true });
        const user = { email: 'dev@example.com', password: 'Replica-Passw0rd!' };
        expect((await call(a, 'POST', '/v1/auth/email/admin/users', admin, user)).status).toBe(201);
        const dev = await b.auth!.mintToken({ subject: 'dev@example.com', session: true });
        const created = await call(b, 'POST', '/v1/tokens', dev, { name: 'shared' });
        const apiToken = created.body.access_token as string;
        // Both replicas verify (and cache) both credentials.
        for (const g of gateways) {
          expect((await call(g, 'GET', '/v1/auth/email/me', dev)).status).toBe(200);
          expect((await call(g, 'GET', '/v1/auth/email/me', apiToken)).status).toBe(200);
        }
        // Revoked on a: refused on b at once.
        const id = (created.body.token as { id: string }).id;
        expect((await call(a, 'DELETE', `/v1/tokens/${id}`, dev)).status).toBe(200);
        expect(await settle(() => call(b, 'GET', '/v1/auth/email/me', apiToken))).toBe(401);
        // Deactivated on b: the cached session on a is refused at once.
        const off = await call(b, 'PUT', '/v1/auth/email/admin/users/dev@example.com', admin, {
          is_active: false,
        });
        expect(off.status).toBe(200);
        expect(await settle(() => call(a, 'GET', '/v1/auth/email/me', dev))).toBe(401);
      } finally {
        for (const g of gateways) await g.close();
        await scratch.drop();
      }
    });

    it('counts rate limits in Redis, shared by the replicas', async () => {
      const scratch = await scratchDatabase('postgres');
      const env = {
        DATABASE_URL: scratch.url,
        CACHE_TYPE: 'redis',
        REDIS_URL: serviceUrls.redis,
        CACHE_PREFIX: `${uniqueName('cfrl')}:`,
        AUTH_ENCRYPTION_SECRET: 'replica-auth-secret-replica-auth-secret',
        ...TEST_ENV,
        RATE_LIMITING_ENABLED: 'true',
        RATE_LIMIT_AUTH_PER_MINUTE: '4',
      };
      const gateways: Gateway[] = [];
      try {
        for (let i = 0; i < 2; i++)
          gateways.push(await createGateway(parseConfig(env).config, { logger: createLogger('silent') }));
        const servers = await Promise.all(gateways.map((g) => g.listen(0, '127.0.0.1')));
        const statuses: number[] = [];
        for (let i = 0; i < 6; i++) {
          const res = await fetch(`${servers[i % 2]!.url}/v1/auth/login`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ email: 'nobody@example.com', password: 'nope' }),
          });
          statuses.push(res.status);
        }
        expect(statuses).toEqual([401, 401, 401, 401, 429, 429]);
      } finally {
        for (const g of gateways) await g.close();
        await scratch.drop();
      }
    });
  },
);
