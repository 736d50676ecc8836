import type { MiddlewareHandler } from 'hono';
import { SecurityError } from '../errors.js';
import { writableHeaders } from './response-headers.js';

/** Request headers MCP clients send (streamable HTTP + 2026-07-28 header mirroring) plus the gateway's own. */
export const MCP_REQUEST_HEADERS = [
  'Authorization',
  'Content-Type',
  'Accept',
  'Mcp-Session-Id',
  'MCP-Protocol-Version',
  'Mcp-Method',
  'Mcp-Name',
  'Last-Event-ID',
  'X-CSRF-Token',
  'X-Upstream-Authorization',
] as const;

/** Response headers browsers may read. */
export const MCP_EXPOSED_HEADERS = [
  'Mcp-Session-Id',
  'MCP-Protocol-Version',
  'Mcp-Method',
  'Mcp-Name',
  'WWW-Authenticate',
  'Retry-After',
  'X-RateLimit-Limit',
  'X-RateLimit-Remaining',
  'X-RateLimit-Reset',
] as const;

/** Options of {@link cors} (ContextForge CORS_ENABLED, ALLOWED_ORIGINS, CORS_ALLOW_CREDENTIALS). */
export interface CorsOptions {
  /** Allowed origins (`https://app.example.com`), or `*` for any (not with credentials). */
  allowedOrigins: readonly string[] | '*';
  allowCredentials?: boolean;
  allowMethods?: readonly string[];
  allowHeaders?: readonly string[];
  exposeHeaders?: readonly string[];
  /** Preflight cache; default 600 s. */
  maxAgeSec?: number;
  /**
   * Answer 403 to requests whose `Origin` is not allowed (MCP transport spec: servers MUST validate
   * Origin to stop DNS rebinding); default true. When false they pass without CORS headers.
   */
  rejectDisallowed?: boolean;
}

/**
 * Hono CORS middleware with an exact origin allowlist. Preflights are answered here (204); a disallowed
 * Origin gets 403 `ORIGIN_NOT_ALLOWED`.
 * @throws SecurityError `CONFIG_INVALID` at construction (bad origin, `*` with credentials).
 */
export function cors(options: CorsOptions): MiddlewareHandler {
  const any = options.allowedOrigins === '*';
  const credentials = options.allowCredentials ?? false;
  if (any && credentials) throw bad('ALLOWED_ORIGINS', "'*' cannot be combined with CORS_ALLOW_CREDENTIALS");
  const allowed = new Set(
    any
      ? []
      : (options.allowedOrigins as readonly string[]).map((o, i) =>
          normaliseOrigin(o, `ALLOWED_ORIGINS.${i}`),
        ),
  );
  const methods = (options.allowMethods ?? ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']).join(', ');
  const allowHeaders = (options.allowHeaders ?? MCP_REQUEST_HEADERS).join(', ');
  const expose = (options.exposeHeaders ?? MCP_EXPOSED_HEADERS).join(', ');
  const maxAge = String(options.maxAgeSec ?? 600);
  const reject = options.rejectDisallowed ?? true;

  return async function cors(c, next) {
    const origin = c.req.header('origin');
    if (!origin) return next();
    const ok = any || allowed.has(origin.toLowerCase());
    if (!ok) {
      if (reject) {
        throw new SecurityError('ORIGIN_NOT_ALLOWED', `origin '${origin.slice(0, 200)}' is not allowed`, {
          field: 'Origin',
        });
      }
      return next();
    }
    const allowOrigin = any ? '*' : origin;
    if (c.req.method === 'OPTIONS' && c.req.header('access-control-request-method')) {
      const headers: Record<string, string> = {
        'Access-Control-Allow-Origin': allowOrigin,
        'Access-Control-Allow-Methods': methods,
        'Access-Control-Allow-Headers': allowHeaders,
        'Access-Control-Max-Age': maxAge,
        Vary: 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers',
      };
      if (credentials) headers['Access-Control-Allow-Credentials'] = 'true';
      return new Response(null, { status: 204, headers });
    }
    await next();
    const h = writableHeaders(c);
    h.set('Access-Control-Allow-Origin', allowOrigin);
    if (credentials) h.set('Access-Control-Allow-Credentials', 'true');
    if (expose) h.set('Access-Control-Expose-Headers', expose);
    h.append('Vary', 'Origin');
  };
}

function normaliseOrigin(origin: string, field: string): string {
  let u: URL;
  try {
    u = new URL(origin);
  } catch {
    throw bad(field, `'${origin}' is not an origin (scheme://host[:port])`);
  }
  if (u.origin === 'null' || u.pathname !== '/' || u.search || u.hash || origin.endsWith('/')) {
    throw bad(field, `'${origin}' is not an origin (scheme://host[:port], no path)`);
  }
  return u.origin.toLowerCase();
}

function bad(field: string, message: string): SecurityError {
  return new SecurityError('CONFIG_INVALID', `${field}: ${message}`, { field });
}
