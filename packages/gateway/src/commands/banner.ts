import type { BootstrapResult, GatewayConfig } from '@contextforge/gateway-core';
import { parseDatabaseUrl } from '@contextforge/gateway-core';

/** The text `contextforge serve` prints once it listens: where it is, how to sign in, what to try first. */
export function serveBanner(
  url: string,
  config: GatewayConfig,
  version: string,
  bootstrap?: BootstrapResult,
): string {
  const database = parseDatabaseUrl(config.DATABASE_URL).display;
  const email = bootstrap?.adminEmail ?? config.PLATFORM_ADMIN_EMAIL;
  const password = bootstrap?.generatedPassword;
  const lines = [
    `ContextForge gateway ${version} listening on ${url}`,
    `  database: ${database}    cache: ${config.CACHE_TYPE}`,
  ];
  if (config.AUTH_REQUIRED) {
    lines.push('  authentication: required on every REST, admin and MCP route (AUTH_REQUIRED=true)');
  } else {
    lines.push(
      '',
      '  WARNING: AUTH_REQUIRED=false. Callers without credentials are served as an anonymous user who',
      '  sees PUBLIC entities only. Never use this outside local development.',
    );
  }
  if (password) {
    lines.push(
      '',
      `  Platform administrator created: ${email}`,
      `  Generated password (shown once): ${password}`,
      '  Change it: POST /v1/auth/email/change-password, or `contextforge user reset-password`; set',
      '  PLATFORM_ADMIN_PASSWORD to choose it yourself on a fresh database.',
    );
  }
  const shownPassword = password ?? '<PLATFORM_ADMIN_PASSWORD>';
  lines.push(
    '',
    'Next steps:',
    `  curl ${url}/health`,
    '  # sign in as the administrator and keep the session token:',
    `  TOKEN=$(curl -fsS -X POST ${url}/v1/auth/login -H 'Content-Type: application/json' \\`,
    `       -d '{"email": "${email}", "password": "${shownPassword}"}' | sed -E 's/.*"access_token":"([^"]+)".*/\\1/')`,
    `  #   (or, with access to this database: TOKEN=$(contextforge token create --username ${email} --exp 60))`,
    `  curl -H "Authorization: Bearer $TOKEN" ${url}/v1/tools`,
    '  # register an upstream MCP server; its tools are discovered at once:',
    `  curl -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' ${url}/v1/gateways \\`,
    `       -d '{"name": "my-server", "url": "https://mcp.example.com/mcp", "transport": "STREAMABLEHTTP"}'`,
    `  MCP endpoint for clients (Bearer token): ${url}/mcp  (one virtual server: ${url}/servers/<id>/mcp)`,
    `  API reference: ${url}/openapi.json`,
    '',
    'Press Ctrl+C to stop.',
    '',
  );
  return lines.join('\n');
}
