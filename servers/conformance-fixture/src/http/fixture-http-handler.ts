import {
  classifyInboundRequest,
  createMcpHandler,
  DEFAULT_MAX_REQUEST_BODY_SIZE,
  hostHeaderValidationResponse,
  InMemoryServerEventBus,
  isJsonContentType,
  type McpHttpHandler,
  originValidationResponse,
  readRequestBody,
} from '@modelcontextprotocol/server';
import { createFixtureContext, createFixtureServer } from '../create-fixture-server.js';
import type { FixtureLogger } from '../fixture-options.js';
import { jsonRpcErrorResponse } from './json-rpc-response.js';
import { type LegacySessionLimits, LegacySessions } from './legacy-sessions.js';

/** Options of {@link createFixtureHttpHandler}. */
export interface FixtureHttpHandlerOptions {
  /** Path of the streamable HTTP endpoint. Default `/mcp`. */
  mcpPath?: string;
  /**
   * Hostnames accepted in `Host` and `Origin` (DNS-rebinding protection, scenario
   * `dns-rebinding-protection`); `'any'` turns the check off. Default: the localhost names.
   */
  allowedHosts?: readonly string[] | 'any';
  /** Largest accepted POST body in bytes. Default 4 MiB. */
  maxBodyBytes?: number;
  /** Bounds of 2025-era sessions. */
  sessions?: Partial<LegacySessionLimits>;
  /** Where to report activity. */
  log: FixtureLogger;
}

/** A fetch-shaped handler plus its shutdown. */
export interface FixtureHttpHandler {
  /** Serves one HTTP request. */
  fetch(request: Request): Promise<Response>;
  /** Closes open sessions and listen streams. */
  close(): Promise<void>;
  /** Number of open 2025-era sessions (for tests and health output). */
  readonly sessionCount: number;
}

const LOCALHOST_NAMES = ['localhost', '127.0.0.1', '[::1]'];

/**
 * Builds the fixture's HTTP handler: one endpoint serving both protocol eras. Requests carrying the
 * 2026-07-28 per-request `_meta` claim (including malformed claims, which the modern path must reject
 * with its own error codes) go to the SDK's stateless `createMcpHandler`; everything else (initialize,
 * session traffic, GET streams, DELETE) goes to real 2025-era sessions. Both legs build their servers
 * from the same fixture definition.
 */
export function createFixtureHttpHandler(options: FixtureHttpHandlerOptions): FixtureHttpHandler {
  const mcpPath = options.mcpPath ?? '/mcp';
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_REQUEST_BODY_SIZE;
  const allowed = options.allowedHosts === 'any' ? undefined : [...(options.allowedHosts ?? LOCALHOST_NAMES)];
  const bus = new InMemoryServerEventBus((error) => options.log('warn', `listen bus: ${error.message}`));
  const fixture = createFixtureContext({ bus, log: options.log });
  const modern: McpHttpHandler = createMcpHandler(() => createFixtureServer(fixture), {
    legacy: 'reject',
    bus,
    maxRequestBodySize: maxBodyBytes,
    onerror: (error) => options.log('debug', `2026-07-28 leg: ${error.message}`),
  });
  const legacy = new LegacySessions(
    () => createFixtureServer(createFixtureContext({ log: options.log })),
    {
      maxSessions: options.sessions?.maxSessions ?? 1_000,
      idleTimeoutMs: options.sessions?.idleTimeoutMs ?? 30 * 60_000,
      retryIntervalMs: options.sessions?.retryIntervalMs ?? 1_000,
    },
    options.log,
  );

  async function fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === '/healthz' && request.method === 'GET') {
      return Response.json({ status: 'ok', sessions: legacy.size });
    }
    if (url.pathname !== mcpPath)
      return jsonRpcErrorResponse(404, -32601, `No MCP endpoint at ${url.pathname}`);
    if (allowed) {
      const rejected =
        hostHeaderValidationResponse(request, allowed) ?? originValidationResponse(request, allowed);
      if (rejected) return rejected;
    }
    if (!['POST', 'GET', 'DELETE'].includes(request.method)) {
      return new Response(null, { status: 405, headers: { allow: 'GET, POST, DELETE' } });
    }
    let body: unknown;
    if (request.method === 'POST') {
      if (!isJsonContentType(request.headers.get('content-type'))) {
        return jsonRpcErrorResponse(
          415,
          -32000,
          'Unsupported Media Type: Content-Type must be application/json',
        );
      }
      const read = await readRequestBody(request, maxBodyBytes);
      if (read.tooLarge)
        return jsonRpcErrorResponse(413, -32000, `Request body exceeds ${maxBodyBytes} bytes`);
      try {
        body = JSON.parse(read.text);
      } catch (error) {
        return jsonRpcErrorResponse(400, -32700, `Parse error: ${(error as Error).message}`);
      }
    }
    const route = classifyInboundRequest({
      httpMethod: request.method,
      protocolVersionHeader: request.headers.get('mcp-protocol-version') ?? undefined,
      mcpMethodHeader: request.headers.get('mcp-method') ?? undefined,
      mcpNameHeader: request.headers.get('mcp-name') ?? undefined,
      body,
    });
    if (route.kind === 'legacy') return legacy.handle(request, body);
    return modern.fetch(request, { parsedBody: body });
  }

  return {
    fetch,
    async close() {
      await Promise.allSettled([modern.close(), legacy.closeAll()]);
    },
    get sessionCount() {
      return legacy.size;
    },
  };
}
