import {
  classifyInboundRequest,
  createMcpHandler,
  DEFAULT_MAX_REQUEST_BODY_SIZE,
  hostHeaderValidationResponse,
  InMemoryServerEventBus,
  type McpHttpHandler,
  originValidationResponse,
} from '@modelcontextprotocol/server';
import { createFixtureContext, createFixtureServer } from '../create-fixture-server.js';
import type { FixtureLogger } from '../fixture-options.js';
import { jsonRpcErrorResponse } from './json-rpc-response.js';
import { type LegacySessionLimits, LegacySessions } from './legacy-sessions.js';
import { LegacySseSessions } from './legacy-sse-sessions.js';
import { readJsonBody } from './read-json-body.js';

/** Options of {@link createFixtureHttpHandler}. */
export interface FixtureHttpHandlerOptions {
  /** Path of the streamable HTTP endpoint. Default `/mcp`. */
  mcpPath?: string;
  /** Path of the legacy HTTP+SSE stream (2024-11-05 transport). Default `/sse`. */
  ssePath?: string;
  /** Path legacy SSE clients POST their messages to. Default `/message`. */
  messagePath?: string;
  /**
   * Hostnames accepted in `Host` and `Origin` (DNS-rebinding protection, scenario
   * `dns-rebinding-protection`); `'any'` turns the check off. Default: the localhost names.
   */
  allowedHosts?: readonly string[] | 'any';
  /** Largest accepted POST body in bytes. Default 4 MiB. */
  maxBodyBytes?: number;
  /** Bounds of 2025-era sessions (streamable HTTP and legacy SSE alike). */
  sessions?: Partial<LegacySessionLimits>;
  /** Where to report activity. */
  log: FixtureLogger;
}

/** A fetch-shaped handler plus its shutdown. */
export interface FixtureHttpHandler {
  /** Serves one HTTP request. */
  fetch(request: Request): Promise<Response>;
  /** Closes open sessions and streams. */
  close(): Promise<void>;
  /** Number of open 2025-era streamable HTTP sessions (for tests and health output). */
  readonly sessionCount: number;
}

const LOCALHOST_NAMES = ['localhost', '127.0.0.1', '[::1]'];

const methodNotAllowed = (allow: string) => new Response(null, { status: 405, headers: { allow } });

/**
 * Builds the fixture's HTTP handler. One streamable HTTP endpoint serves both protocol eras: requests
 * carrying the 2026-07-28 per-request `_meta` claim (including malformed claims, which the modern path
 * must reject with its own error codes) go to the SDK's stateless `createMcpHandler`; everything else
 * (initialize, session traffic, GET streams, DELETE) goes to real 2025-era sessions. The legacy
 * HTTP+SSE transport (`GET /sse` + `POST /message`) is served too, for clients and connectors that
 * still use it. Every leg builds its servers from the same fixture definition.
 */
export function createFixtureHttpHandler(options: FixtureHttpHandlerOptions): FixtureHttpHandler {
  const mcpPath = options.mcpPath ?? '/mcp';
  const ssePath = options.ssePath ?? '/sse';
  const messagePath = options.messagePath ?? '/message';
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
  // Each 2025-era session gets its own context: resource subscriptions are per session.
  const legacyServer = () => createFixtureServer(createFixtureContext({ log: options.log }));
  const maxSessions = options.sessions?.maxSessions ?? 1_000;
  const sse = new LegacySseSessions(legacyServer, messagePath, maxSessions, options.log);
  const legacy = new LegacySessions(
    legacyServer,
    {
      maxSessions,
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
    if (![mcpPath, ssePath, messagePath].includes(url.pathname)) {
      return jsonRpcErrorResponse(404, -32601, `No MCP endpoint at ${url.pathname}`);
    }
    if (allowed) {
      const rejected =
        hostHeaderValidationResponse(request, allowed) ?? originValidationResponse(request, allowed);
      if (rejected) return rejected;
    }
    if (url.pathname === ssePath) return request.method === 'GET' ? sse.open() : methodNotAllowed('GET');
    if (url.pathname === messagePath) {
      if (request.method !== 'POST') return methodNotAllowed('POST');
      const read = await readJsonBody(request, maxBodyBytes);
      return 'error' in read ? read.error : sse.deliver(url.searchParams.get('sessionId'), read.body);
    }
    if (!['POST', 'GET', 'DELETE'].includes(request.method)) return methodNotAllowed('GET, POST, DELETE');
    let body: unknown;
    if (request.method === 'POST') {
      const read = await readJsonBody(request, maxBodyBytes);
      if ('error' in read) return read.error;
      body = read.body;
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
      await Promise.allSettled([modern.close(), legacy.closeAll(), sse.closeAll()]);
    },
    get sessionCount() {
      return legacy.size;
    },
  };
}
