import type { MiddlewareHandler } from 'hono';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** Prometheus metrics of one gateway instance (its own registry, so several instances never clash). */
export interface GatewayMetrics {
  registry: Registry;
  requests: Counter<'method' | 'route' | 'status'>;
  duration: Histogram<'method' | 'route'>;
}

/**
 * Creates the metric registry: process/runtime defaults, `app_info`, HTTP request counts and durations
 * labelled by route *pattern* (`/v1/tools/:id`), never by concrete path, to keep cardinality bounded.
 */
export function createMetrics(info: { version: string; database: string; cache: string }): GatewayMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const appInfo = new Gauge({
    name: 'app_info',
    help: 'Gateway build and backends',
    labelNames: ['version', 'database', 'cache'],
    registers: [registry],
  });
  appInfo.set(info, 1);
  return {
    registry,
    requests: new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests by method, route and status',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
    }),
    duration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration by method and route',
      labelNames: ['method', 'route'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
  };
}

/** Middleware recording every request in `metrics`. */
export function requestMetrics(metrics: GatewayMetrics): MiddlewareHandler {
  return async function requestMetrics(c, next) {
    const start = performance.now();
    try {
      await next();
    } finally {
      const route = c.req.routePath && c.req.routePath !== '/*' ? c.req.routePath : 'unmatched';
      metrics.requests.inc({ method: c.req.method, route, status: String(c.res.status) });
      metrics.duration.observe({ method: c.req.method, route }, (performance.now() - start) / 1000);
    }
  };
}
