import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SupervisedChildOptions } from '../child/supervised-child.js';
import { BridgeError } from '../core/bridge-error.js';
import { ErrorCode } from '../core/json-rpc.js';
import type { Logger } from '../core/logger.js';
import { ChildPerSessionUpstream } from '../upstream/child-per-session-upstream.js';
import { SharedChildUpstream } from '../upstream/shared-child-upstream.js';
import type { Upstream } from '../upstream/upstream.js';
import type { HeaderEnvMapping } from './header-to-env.js';
import { sendRpcError } from './http-io.js';
import { RequestGuard } from './request-guard.js';
import { type ManagedSession, SessionRegistry } from './session-registry.js';
import { SseHandler } from './sse-handler.js';
import { StreamableHttpHandler } from './streamable-http-handler.js';
import { WebSocketHandler } from './websocket-handler.js';

/** Options of {@link BridgeServer}: one stdio server exposed on any mix of HTTP transports. */
export interface BridgeServerOptions {
  /** The stdio MCP server (command, env, limits, restart policy). */
  child: SupervisedChildOptions;
  /** One child shared by all sessions (ids remapped) instead of one per session. */
  sharedChild?: boolean;
  /** Interface to listen on (default 127.0.0.1). */
  host?: string;
  /** Port (0 = any free port). */
  port: number;
  /** Streamable HTTP on `path` (e.g. `/mcp`). */
  streamableHttp?: { path: string; stateless?: boolean; jsonResponse?: boolean };
  /** Legacy SSE: stream at `ssePath`, client messages at `messagePath`. */
  sse?: { ssePath: string; messagePath: string };
  /** WebSocket at `path`. */
  websocket?: { path: string };
  /** Health endpoint (default `/healthz`). */
  healthPath?: string;
  /** CORS origins (`*` = any). */
  cors?: string[];
  /** Extra response headers. */
  headers?: Record<string, string>;
  /** Require `Authorization: Bearer <token>` from clients. */
  bearerToken?: string;
  /** Most sessions at once (default 100; 0 = unlimited). */
  maxSessions?: number;
  /** Close sessions idle this long, ms (default 0 = never). */
  sessionTimeoutMs?: number;
  /** Keep-alive interval for SSE comments and WebSocket pings, ms (default 30 000; 0 = off). */
  keepAliveMs?: number;
  /** Largest message accepted from clients (and from the child), bytes (default 4 MiB). */
  maxMessageBytes?: number;
  /** Per-session child environment from request headers (per-session children only). */
  headerToEnv?: HeaderEnvMapping[];
  logger?: Logger;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

/**
 * Serves a stdio MCP server over streamable HTTP, legacy SSE and/or WebSocket from one plain
 * `node:http` server (no framework on the hot path), with `/healthz`, CORS, bearer auth,
 * DNS-rebinding protection on loopback, session limits and idle reaping.
 */
export class BridgeServer {
  private readonly server: Server;
  private readonly registry: SessionRegistry<ManagedSession>;
  private readonly guard: RequestGuard;
  private readonly streamable?: StreamableHttpHandler;
  private readonly sse?: SseHandler;
  private readonly ws?: WebSocketHandler;
  private sessionUpstream?: Upstream;
  private sharedUpstream?: Upstream;
  private modernUpstream?: Upstream;
  private readonly healthPath: string;

  /**
   * @param options transports, limits and the child to run
   * @throws BridgeError INVALID_OPTION for contradictory options
   */
  constructor(private readonly options: BridgeServerOptions) {
    if (!options.streamableHttp && !options.sse && !options.websocket) {
      throw new BridgeError(
        'INVALID_OPTION',
        'expose at least one transport (streamable HTTP, SSE or WebSocket)',
      );
    }
    if (options.sharedChild && (options.headerToEnv?.length ?? 0) > 0) {
      throw new BridgeError(
        'INVALID_OPTION',
        '--header-to-env needs one child per session; it cannot be combined with --shared-child',
      );
    }
    const keepAliveMs = options.keepAliveMs ?? 30_000;
    const maxMessageBytes = options.maxMessageBytes ?? 4 * 1024 * 1024;
    const headerToEnv = options.headerToEnv ?? [];
    const logger = options.logger;
    this.healthPath = options.healthPath ?? '/healthz';
    this.registry = new SessionRegistry({
      maxSessions: options.maxSessions ?? 100,
      idleTimeoutMs: options.sessionTimeoutMs ?? 0,
      logger,
    });
    this.guard = new RequestGuard({
      cors: options.cors,
      headers: options.headers,
      bearerToken: options.bearerToken,
      loopbackOnly: LOOPBACK.has(options.host ?? '127.0.0.1'),
    });
    const child = { maxMessageBytes, ...options.child, logger: options.child.logger ?? logger };
    const shared = () => {
      this.sharedUpstream ??= new SharedChildUpstream(child);
      return this.sharedUpstream;
    };
    // 2026-07-28 requests get a child of their own: a stdio server pins one protocol era per
    // connection (initialize → 2025 era; server/discover or _meta requests → 2026-07-28).
    const modern = () => {
      this.modernUpstream ??= new SharedChildUpstream(child);
      return this.modernUpstream;
    };
    const perSession = () => {
      if (options.sharedChild) return shared();
      this.sessionUpstream ??= new ChildPerSessionUpstream(child);
      return this.sessionUpstream;
    };
    if (options.streamableHttp) {
      this.streamable = new StreamableHttpHandler(
        {
          stateless: options.streamableHttp.stateless ?? false,
          jsonResponse: options.streamableHttp.jsonResponse ?? false,
          keepAliveMs,
          maxMessageBytes,
          headerToEnv,
        },
        {
          registry: this.registry,
          sessionUpstream: perSession,
          sharedUpstream: shared,
          modernUpstream: modern,
          logger,
        },
      );
    }
    if (options.sse) {
      this.sse = new SseHandler(
        { messagePath: options.sse.messagePath, keepAliveMs, maxMessageBytes, headerToEnv },
        this.registry,
        perSession,
        logger,
      );
    }
    if (options.websocket) {
      this.ws = new WebSocketHandler(
        { keepAliveMs, maxMessageBytes, headerToEnv },
        this.guard,
        this.registry,
        perSession,
        logger,
      );
    }
    this.server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => void this.route(req, res));
    this.server.on('upgrade', (req, socket, head) => {
      const path = new URL(req.url ?? '/', 'http://localhost').pathname;
      if (this.ws && path === options.websocket?.path) void this.ws.upgrade(req, socket, head);
      else socket.end('HTTP/1.1 404 Not Found\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
    });
  }

  /** Starts listening; resolves with the bound address. */
  listen(): Promise<{ host: string; port: number; url: string }> {
    return new Promise((resolve, reject) => {
      this.server.once('error', (error) =>
        reject(
          new BridgeError(
            'INVALID_OPTION',
            `cannot listen on ${this.options.host ?? '127.0.0.1'}:${this.options.port}: ${error.message}`,
            error,
          ),
        ),
      );
      this.server.listen(this.options.port, this.options.host ?? '127.0.0.1', () => {
        const { address, port } = this.server.address() as AddressInfo;
        const host = address.includes(':') ? `[${address}]` : address;
        resolve({ host: address, port, url: `http://${host}:${port}` });
      });
    });
  }

  /** Open sessions. */
  get sessionCount(): number {
    return this.registry.size;
  }

  /** Pids of the running children (per-session and shared). */
  get childPids(): number[] {
    return [this.sessionUpstream, this.sharedUpstream, this.modernUpstream].flatMap((u) => u?.pids ?? []);
  }

  /** Graceful shutdown: stops accepting, ends sessions, ends every child process group. */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.ws?.close();
    await this.registry.closeAll('server shutting down');
    this.server.closeAllConnections();
    await Promise.all([
      this.sessionUpstream?.close(),
      this.sharedUpstream?.close(),
      this.modernUpstream?.close(),
    ]);
    await closed;
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const headers = this.guard.responseHeaders(req);
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const path = url.pathname;
      // Health probes come from orchestrators without credentials: answered before the guard.
      if (path === this.healthPath && req.method === 'GET') {
        res.writeHead(200, { ...headers, 'content-type': 'text/plain' }).end('ok');
        return;
      }
      if (!this.guard.admit(req, res, headers)) return;
      const o = this.options;
      if (this.streamable && path === o.streamableHttp?.path)
        return await this.streamable.handle(req, res, headers);
      if (this.sse && path === o.sse?.ssePath) return await this.sse.open(req, res, headers);
      if (this.sse && path === o.sse?.messagePath) return await this.sse.message(req, res, headers, url);
      sendRpcError(res, 404, ErrorCode.InvalidRequest, `no MCP endpoint at ${path}`, null, headers);
    } catch (error) {
      this.options.logger?.error('request failed', { error: (error as Error).message, url: req.url });
      sendRpcError(
        res,
        500,
        ErrorCode.InternalError,
        `internal error: ${(error as Error).message}`,
        null,
        headers,
      );
    }
  }
}
