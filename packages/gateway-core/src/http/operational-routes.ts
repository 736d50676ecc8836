import { z } from 'zod';
import type { Cache } from '../cache/cache.js';
import type { GatewayDatabase } from '../db/connect-database.js';
import { pendingMigrations } from '../db/migrate.js';
import type { GatewayMetrics } from '../observability/http-metrics.js';
import { PACKAGE_NAME, VERSION } from '../version.js';
import { defineRoute, type RouteDef } from './route-def.js';

/** What the operational endpoints inspect. */
export interface OperationalDeps {
  database: GatewayDatabase;
  cache: Cache;
  metrics: GatewayMetrics | undefined;
  startedAt: number;
  openApi: () => Record<string, unknown>;
}

/** `/health`, `/ready`, `/version`, `/metrics`, `/openapi.json`. */
export function operationalRoutes(deps: OperationalDeps): RouteDef[] {
  const tag = 'Operations';
  const routes: RouteDef[] = [
    defineRoute({
      method: 'GET',
      path: '/health',
      permission: null,
      tag,
      summary: 'Liveness: the database answers (503 when it does not)',
      response: z.object({
        status: z.enum(['healthy', 'unhealthy']),
        database: z.enum(['ok', 'unreachable']),
      }),
      handler: async () => {
        const ok = await deps.database.ping();
        return {
          status: ok ? 200 : 503,
          body: { status: ok ? 'healthy' : 'unhealthy', database: ok ? 'ok' : 'unreachable' },
        };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/ready',
      permission: null,
      tag,
      summary: 'Readiness: database, cache and schema migrations (503 until all are ready)',
      response: z.object({
        status: z.enum(['ready', 'not_ready']),
        checks: z.record(z.string(), z.string()),
      }),
      handler: async () => {
        const [db, cache] = await Promise.all([deps.database.ping(), deps.cache.ping()]);
        let migrations = 'unknown';
        if (db) {
          try {
            const pending = await pendingMigrations(deps.database.db, deps.database.kind);
            migrations = pending.length === 0 ? 'ok' : `pending: ${pending.join(', ')}`;
          } catch {
            migrations = 'unknown';
          }
        }
        const checks = {
          database: db ? 'ok' : 'unreachable',
          cache: cache ? 'ok' : 'unreachable',
          migrations,
        };
        const ready = db && cache && migrations === 'ok';
        return { status: ready ? 200 : 503, body: { status: ready ? 'ready' : 'not_ready', checks } };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/version',
      permission: 'admin.system_config',
      tag,
      summary: 'Version and runtime information',
      handler: async () => ({
        body: {
          name: PACKAGE_NAME,
          version: VERSION,
          node: process.version,
          database: deps.database.kind,
          cache: deps.cache.kind,
          uptime_seconds: Math.round((Date.now() - deps.startedAt) / 1000),
        },
      }),
    }),
    defineRoute({
      method: 'GET',
      path: '/openapi.json',
      permission: null,
      tag,
      summary: 'This OpenAPI document',
      handler: async () => ({ body: deps.openApi() }),
    }),
  ];
  const metrics = deps.metrics;
  if (metrics) {
    routes.push(
      defineRoute({
        method: 'GET',
        path: '/metrics',
        permission: 'admin.metrics',
        tag,
        summary: 'Prometheus metrics (text exposition format)',
        handler: async ({ c }) => {
          c.header('Content-Type', metrics.registry.contentType);
          return c.body(await metrics.registry.metrics());
        },
      }),
    );
  }
  return routes;
}
