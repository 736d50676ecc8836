import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ECHO_TOOL,
  ErrorCode,
  LEGACY_PROTOCOL_VERSIONS,
  MODERN_PROTOCOL_VERSION,
  PROTOCOL_VERSION_META_KEY,
  SERVER_INFO_META_KEY,
} from './protocol.js';

/** Which protocol eras the server answers. */
export type EchoEra = 'dual' | 'modern' | 'legacy';

/** Options of {@link startEchoServer}. */
export interface EchoServerOptions {
  /** Interface to bind (default 127.0.0.1). */
  host?: string;
  /** Port to bind (default 0: any free port). */
  port?: number;
  /** MCP endpoint path (default `/mcp`). */
  path?: string;
  /** Eras served (default `dual`: 2026-07-28 requests by their `_meta` envelope, anything else as 2025-era). */
  era?: EchoEra;
  /** 2025-era sessions: issue `Mcp-Session-Id` on initialize and require it afterwards (default true). */
  sessions?: boolean;
  /** Frame responses as one JSON body (default) or as a one-event SSE stream. */
  responseMode?: 'json' | 'sse';
  /** Upper bound on live 2025-era sessions; the oldest is forgotten past it (default 10,000). */
  maxSessions?: number;
  /** Largest accepted request body in bytes (default 4 MiB). */
  maxBodyBytes?: number;
}

/** A running echo server. */
export interface EchoServer {
  /** The MCP endpoint URL, e.g. `http://127.0.0.1:40123/mcp`. */
  readonly url: string;
  /** The bound port. */
  readonly port: number;
  /** Requests served, by JSON-RPC method (notifications included). */
  readonly counts: Map<string, number>;
  /** Live 2025-era session ids. */
  readonly sessions: ReadonlySet<string>;
  /** Forgets every session (the next request with an old id gets 404, as after a server restart). */
  dropSessions(): void;
  /** Stops listening and closes every connection. */
  close(): Promise<void>;
}

interface RpcRequest {
  jsonrpc: '2.0';
  id?: string | number;
  method: string;
  params?: Record<string, unknown> & { _meta?: Record<string, unknown> };
}

const SERVER_INFO = { name: 'echo-http', version: '0.0.0' };
const JSON_HEADERS = { 'content-type': 'application/json' };

/**
 * Starts the echo server. It is deliberately minimal: one tool, JSON (or single-event SSE)
 * responses, no server→client stream, so a benchmark measures the client and not the upstream.
 *
 * @throws when the port cannot be bound
 */
export async function startEchoServer(options: EchoServerOptions = {}): Promise<EchoServer> {
  const path = options.path ?? '/mcp';
  const era = options.era ?? 'dual';
  const useSessions = options.sessions ?? true;
  const sse = options.responseMode === 'sse';
  const maxSessions = options.maxSessions ?? 10_000;
  const maxBody = options.maxBodyBytes ?? 4 * 1024 * 1024;
  const sessions = new Set<string>();
  const counts = new Map<string, number>();

  const send = (res: ServerResponse, status: number, payload: unknown, extra?: Record<string, string>) => {
    const body = JSON.stringify(payload);
    if (sse && status === 200) {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', ...extra });
      res.end(`event: message\ndata: ${body}\n\n`);
      return;
    }
    res.writeHead(status, { ...JSON_HEADERS, 'content-length': Buffer.byteLength(body), ...extra });
    res.end(body);
  };
  const fail = (
    res: ServerResponse,
    status: number,
    id: unknown,
    code: number,
    message: string,
    data?: unknown,
  ) =>
    send(res, status, {
      jsonrpc: '2.0',
      id: id ?? null,
      error: data === undefined ? { code, message } : { code, message, data },
    });

  const callTool = (msg: RpcRequest, modern: boolean) => {
    const params = msg.params ?? {};
    if (params.name !== ECHO_TOOL.name) return { error: `Unknown tool: ${String(params.name)}` };
    const args = (params.arguments ?? {}) as { text?: unknown };
    const result: Record<string, unknown> = {
      content: [{ type: 'text', text: typeof args.text === 'string' ? args.text : JSON.stringify(args) }],
    };
    if (modern) result.resultType = 'complete';
    return { result };
  };

  const answerModern = (req: IncomingMessage, res: ServerResponse, msg: RpcRequest, version: unknown) => {
    if (version !== MODERN_PROTOCOL_VERSION) {
      return fail(res, 400, msg.id, ErrorCode.UnsupportedProtocolVersion, 'Unsupported protocol version', {
        supported: [MODERN_PROTOCOL_VERSION],
        requested: version,
      });
    }
    // 2026-07-28 header mirroring: the headers must agree with the body.
    const h = req.headers;
    const expectedName =
      msg.method === 'tools/call' || msg.method === 'prompts/get'
        ? msg.params?.name
        : msg.method === 'resources/read'
          ? msg.params?.uri
          : undefined;
    if (
      h['mcp-protocol-version'] !== version ||
      h['mcp-method'] !== msg.method ||
      (expectedName !== undefined && h['mcp-name'] !== expectedName)
    ) {
      return fail(
        res,
        400,
        msg.id,
        ErrorCode.HeaderMismatch,
        'Header mismatch: MCP-Protocol-Version, Mcp-Method and Mcp-Name must match the body',
      );
    }
    const meta = { [SERVER_INFO_META_KEY]: SERVER_INFO };
    switch (msg.method) {
      case 'server/discover':
        return send(res, 200, {
          jsonrpc: '2.0',
          id: msg.id,
          result: {
            supportedVersions: [MODERN_PROTOCOL_VERSION],
            capabilities: { tools: {} },
            resultType: 'complete',
            _meta: meta,
          },
        });
      case 'tools/list':
        return send(res, 200, {
          jsonrpc: '2.0',
          id: msg.id,
          result: { tools: [ECHO_TOOL], ttlMs: 60_000, cacheScope: 'public', resultType: 'complete' },
        });
      case 'tools/call': {
        const out = callTool(msg, true);
        if (out.error) return fail(res, 200, msg.id, ErrorCode.InvalidParams, out.error);
        return send(res, 200, { jsonrpc: '2.0', id: msg.id, result: out.result });
      }
      default:
        return fail(res, 404, msg.id, ErrorCode.MethodNotFound, `Method not found: ${msg.method}`);
    }
  };

  const answerLegacy = (req: IncomingMessage, res: ServerResponse, msg: RpcRequest) => {
    if (msg.method === 'initialize') {
      const requested = msg.params?.protocolVersion;
      const protocolVersion = (LEGACY_PROTOCOL_VERSIONS as readonly unknown[]).includes(requested)
        ? requested
        : LEGACY_PROTOCOL_VERSIONS[0];
      let extra: Record<string, string> | undefined;
      if (useSessions) {
        const id = randomUUID();
        if (sessions.size >= maxSessions) sessions.delete(sessions.values().next().value as string);
        sessions.add(id);
        extra = { 'mcp-session-id': id };
      }
      return send(
        res,
        200,
        {
          jsonrpc: '2.0',
          id: msg.id,
          result: { protocolVersion, capabilities: { tools: {} }, serverInfo: SERVER_INFO },
        },
        extra,
      );
    }
    if (useSessions) {
      const sid = req.headers['mcp-session-id'];
      if (typeof sid !== 'string')
        return fail(res, 400, msg.id, ErrorCode.SessionError, 'Bad Request: No valid session ID provided');
      if (!sessions.has(sid)) return fail(res, 404, msg.id, ErrorCode.SessionError, 'Session not found');
    }
    if (msg.id === undefined) {
      res.writeHead(202).end();
      return;
    }
    switch (msg.method) {
      case 'ping':
        return send(res, 200, { jsonrpc: '2.0', id: msg.id, result: {} });
      case 'tools/list':
        return send(res, 200, { jsonrpc: '2.0', id: msg.id, result: { tools: [ECHO_TOOL] } });
      case 'tools/call': {
        const out = callTool(msg, false);
        if (out.error) return fail(res, 200, msg.id, ErrorCode.InvalidParams, out.error);
        return send(res, 200, { jsonrpc: '2.0', id: msg.id, result: out.result });
      }
      default:
        return fail(res, 200, msg.id, ErrorCode.MethodNotFound, `Method not found: ${msg.method}`);
    }
  };

  const onBody = (req: IncomingMessage, res: ServerResponse, raw: Buffer) => {
    let msg: RpcRequest;
    try {
      msg = JSON.parse(raw.toString('utf8')) as RpcRequest;
    } catch {
      return fail(res, 400, null, ErrorCode.ParseError, 'Parse error: request body is not JSON');
    }
    if (msg === null || typeof msg !== 'object' || Array.isArray(msg) || typeof msg.method !== 'string') {
      return fail(
        res,
        400,
        null,
        ErrorCode.InvalidRequest,
        'Invalid Request: expected one JSON-RPC request or notification object',
      );
    }
    counts.set(msg.method, (counts.get(msg.method) ?? 0) + 1);
    const version = msg.params?._meta?.[PROTOCOL_VERSION_META_KEY];
    if (version !== undefined && era !== 'legacy') {
      if (msg.id === undefined) {
        res.writeHead(202).end();
        return;
      }
      return answerModern(req, res, msg, version);
    }
    if (era === 'modern') {
      return fail(res, 400, msg.id, ErrorCode.UnsupportedProtocolVersion, 'Unsupported protocol version', {
        supported: [MODERN_PROTOCOL_VERSION],
      });
    }
    return answerLegacy(req, res, msg);
  };

  const server: Server = createServer((req, res) => {
    const q = req.url?.indexOf('?') ?? -1;
    const pathname = q === -1 ? req.url : req.url?.slice(0, q);
    if (pathname !== path) {
      res.writeHead(404, JSON_HEADERS).end('{"error":"not found"}');
      return;
    }
    if (req.method === 'DELETE' && useSessions && era !== 'modern') {
      const sid = req.headers['mcp-session-id'];
      const known = typeof sid === 'string' && sessions.delete(sid);
      res.writeHead(known ? 200 : 404).end();
      return;
    }
    if (req.method !== 'POST') {
      res.writeHead(405, { allow: 'POST' }).end();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBody) {
        fail(res, 413, null, ErrorCode.InvalidRequest, `Request body exceeds ${maxBody} bytes`);
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!res.headersSent)
        onBody(req, res, chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks));
    });
  });
  // Longer than any client keep-alive, so clients (not the server) close idle sockets: no race
  // between a reused socket and the server closing it.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port, address } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  return {
    url: `http://${host}:${port}${path}`,
    port,
    counts,
    sessions,
    dropSessions: () => sessions.clear(),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
