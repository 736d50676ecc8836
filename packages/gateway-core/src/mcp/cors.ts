import type { IncomingMessage, ServerResponse } from 'node:http';

/** CORS for browser MCP clients on the engine's routes (off unless origins are configured). */
export interface CorsOptions {
  /** Origins allowed to call the MCP endpoints from a browser, or `'*'` for any. */
  allowedOrigins: string[] | '*';
  /** Preflight cache lifetime in seconds. Default 600. */
  maxAgeSeconds?: number;
}

const ALLOW_HEADERS =
  'content-type, accept, authorization, mcp-session-id, mcp-protocol-version, mcp-method, mcp-name, last-event-id';

/**
 * Adds CORS headers for an allowed `Origin` and answers preflights. Returns true when the request
 * was a preflight and has been answered. Requests without `Origin` cost one header lookup.
 */
export function applyCors(req: IncomingMessage, res: ServerResponse, opts: CorsOptions | undefined): boolean {
  const origin = req.headers.origin;
  if (opts === undefined || origin === undefined) return false;
  if (opts.allowedOrigins !== '*' && !opts.allowedOrigins.includes(origin)) return false;
  res.setHeader('access-control-allow-origin', origin);
  res.setHeader('vary', 'origin');
  res.setHeader('access-control-expose-headers', 'mcp-session-id, mcp-protocol-version');
  if (req.method !== 'OPTIONS') return false;
  const requested = req.headers['access-control-request-headers'];
  res.writeHead(204, {
    'access-control-allow-methods': 'GET, POST, DELETE, OPTIONS',
    // Mcp-Param-* names vary per tool: echo what the browser asks for when it asks.
    'access-control-allow-headers':
      requested === undefined ? ALLOW_HEADERS : `${ALLOW_HEADERS}, ${requested}`,
    'access-control-max-age': String(opts.maxAgeSeconds ?? 600),
  });
  res.end();
  return true;
}
