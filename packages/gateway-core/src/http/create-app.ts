import { Hono } from 'hono';
import { GatewayError } from '../errors.js';
import { type GatewayMetrics, requestMetrics } from '../observability/http-metrics.js';
import type { GatewayLogger } from '../observability/logger.js';
import { createErrorHandler } from './error-mapper.js';
import type { GatewayHooks } from './hooks.js';
import { mountRoutes } from './mount-routes.js';
import type { RouteDef } from './route-def.js';

/** Options of {@link createApp}. */
export interface CreateAppOptions {
  routes: readonly RouteDef[];
  hooks: GatewayHooks;
  maxBodySize: number;
  logger: GatewayLogger;
  metrics?: GatewayMetrics;
  /** Mount unversioned legacy aliases of the /v1 routes, with this sunset date. */
  legacySunset?: Date;
}

/**
 * Assembles the Hono app: request id, metrics, declared routes, JSON 404 and the one error mapper. Later
 * layers (MCP endpoints, auth middleware, UI) are added to the returned app by their owners.
 */
export function createApp(options: CreateAppOptions): Hono {
  const app = new Hono();
  app.use('*', async function requestId(c, next) {
    const given = c.req.header('x-request-id');
    const id = given && /^[A-Za-z0-9._-]{1,128}$/.test(given) ? given : crypto.randomUUID();
    c.header('X-Request-Id', id);
    await next();
  });
  if (options.metrics) app.use('*', requestMetrics(options.metrics));
  mountRoutes(app, options.routes, {
    hooks: options.hooks,
    maxBodySize: options.maxBodySize,
    ...(options.legacySunset ? { legacy: { sunset: options.legacySunset } } : {}),
  });
  app.notFound(() => {
    throw new GatewayError('NOT_FOUND', 'no such endpoint (see /openapi.json)');
  });
  app.onError(createErrorHandler(options.logger));
  return app;
}
