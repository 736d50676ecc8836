import type { GatewayConfig } from '@contextforge/gateway-core';
import { parseDatabaseUrl } from '@contextforge/gateway-core';

/** The text `contextforge serve` prints once it listens: where it is and what to try first. */
export function serveBanner(url: string, config: GatewayConfig, version: string): string {
  const database = parseDatabaseUrl(config.DATABASE_URL).display;
  const loopback = /^(127\.|localhost$|::1$|\[::1\]$)/.test(config.HOST);
  return [
    `ContextForge gateway ${version} listening on ${url}`,
    `  database: ${database}    cache: ${config.CACHE_TYPE}`,
    loopback
      ? '  note: no authentication is configured yet; keep HOST on a loopback address.'
      : `  WARNING: bound to ${config.HOST} without authentication: anyone who reaches it can change the registry.`,
    '',
    'Next steps:',
    `  curl ${url}/health`,
    `  curl -X POST ${url}/v1/tools -H 'Content-Type: application/json' \\`,
    `       -d '{"name": "get_weather", "url": "https://example.com/weather", "integration_type": "REST", "request_type": "GET"}'`,
    `  curl ${url}/v1/tools`,
    `  API reference: ${url}/openapi.json`,
    '',
    'Press Ctrl+C to stop.',
    '',
  ].join('\n');
}
