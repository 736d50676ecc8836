import { parseCustomFiles } from '../config/load-config.js';
import type { GatewayConfig } from '../config/settings.js';
import { PACKAGE_NAME, VERSION } from '../version.js';
import { defineRoute, type RouteDef } from './route-def.js';

/** Adds an `Expires` line (one year ahead) to a security.txt that lacks one: RFC 9116 §2.5.5 requires it. */
export function withExpires(text: string, now = new Date()): string {
  if (/^expires:/im.test(text)) return text.endsWith('\n') ? text : `${text}\n`;
  const expires = new Date(now.getTime() + 365 * 24 * 3600 * 1000).toISOString();
  return `${text.replace(/\n*$/, '\n')}Expires: ${expires}\n`;
}

/** `/.well-known/mcp`, `/.well-known/robots.txt`, `/.well-known/security.txt` (when set) and custom files. */
export function wellKnownRoutes(config: GatewayConfig): RouteDef[] {
  if (!config.WELL_KNOWN_ENABLED) return [];
  const cacheControl = `public, max-age=${config.WELL_KNOWN_CACHE_MAX_AGE}`;
  const text = (body: string) =>
    new Response(body, {
      headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': cacheControl },
    });
  const custom = parseCustomFiles(config.WELL_KNOWN_CUSTOM_FILES);
  const files: Record<string, string> = typeof custom === 'string' ? {} : { ...custom };
  files['robots.txt'] = config.WELL_KNOWN_ROBOTS_TXT;
  if (config.WELL_KNOWN_SECURITY_TXT) files['security.txt'] = withExpires(config.WELL_KNOWN_SECURITY_TXT);
  const tag = 'Well-known';
  return [
    defineRoute({
      method: 'GET',
      path: '/.well-known/mcp',
      permission: null,
      tag,
      summary: 'MCP discovery document: gateway identity and where its registries and virtual servers are',
      handler: async ({ c }) => {
        c.header('Cache-Control', cacheControl);
        return {
          body: {
            name: 'ContextForge gateway',
            implementation: { name: PACKAGE_NAME, version: VERSION },
            endpoints: {
              rest: '/v1',
              servers: '/v1/servers',
              openapi: '/openapi.json',
              health: '/health',
              ready: '/ready',
            },
          },
        };
      },
    }),
    ...Object.keys(files).map((name) =>
      defineRoute({
        method: 'GET',
        path: `/.well-known/${name}`,
        permission: null,
        tag,
        summary: `/.well-known/${name}`,
        handler: async () => text(files[name]!),
      }),
    ),
  ];
}
