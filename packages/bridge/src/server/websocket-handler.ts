import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import { ErrorCode, errorResponse, validateMessage } from '../core/json-rpc.js';
import type { Logger } from '../core/logger.js';
import type { Upstream } from '../upstream/upstream.js';
import { ConnectionSession } from './connection-session.js';
import type { HeaderEnvMapping } from './header-to-env.js';
import type { RequestGuard } from './request-guard.js';
import { openUpstreamSession } from './session-opener.js';
import type { ManagedSession, SessionRegistry } from './session-registry.js';

/** Options of {@link WebSocketHandler}. */
export interface WebSocketHandlerOptions {
  keepAliveMs: number;
  maxMessageBytes: number;
  headerToEnv: HeaderEnvMapping[];
  /** Bytes a client may leave unread before it is dropped (default 8 MiB). */
  maxBufferedBytes?: number;
}

function refuse(socket: Duplex, status: number, message: string): void {
  const body = JSON.stringify(errorResponse(null, ErrorCode.InvalidRequest, message));
  socket.end(
    `HTTP/1.1 ${status} ${status === 401 ? 'Unauthorized' : status === 403 ? 'Forbidden' : 'Service Unavailable'}\r\n` +
      `content-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}

/**
 * MCP over WebSocket (subprotocol `mcp`): one session per connection, one JSON-RPC message per text
 * frame. Bad frames are answered with a JSON-RPC error frame; frames over the size cap close the
 * connection with 1009; pings keep idle connections alive and dead ones are terminated.
 */
export class WebSocketHandler {
  private readonly wss: WebSocketServer;
  private readonly alive = new WeakMap<WebSocket, boolean>();
  private readonly timer?: NodeJS.Timeout;

  constructor(
    private readonly options: WebSocketHandlerOptions,
    private readonly guard: RequestGuard,
    private readonly registry: SessionRegistry<ManagedSession>,
    private readonly upstream: () => Upstream,
    private readonly logger?: Logger,
  ) {
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: options.maxMessageBytes,
      handleProtocols: (protocols) => (protocols.has('mcp') ? 'mcp' : false),
    });
    if (options.keepAliveMs > 0) {
      this.timer = setInterval(() => this.ping(), options.keepAliveMs);
      this.timer.unref();
    }
  }

  /** Handles an HTTP upgrade on the WebSocket path. */
  async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const rejection = this.guard.check(req);
    if (rejection) return refuse(socket, rejection.status, rejection.message);
    const opened = await openUpstreamSession(this.registry, this.upstream, req, this.options.headerToEnv);
    if (!('id' in opened)) {
      if (opened.reason === 'overloaded')
        return refuse(socket, 503, 'too many sessions open (--max-sessions)');
      return refuse(socket, opened.reason === 'headers' ? 403 : 503, opened.message);
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.connected(ws, opened.id, opened.upstream));
  }

  /** Stops pinging and closes the WebSocket server. */
  close(): void {
    clearInterval(this.timer);
    for (const ws of this.wss.clients) ws.terminate();
    this.wss.close();
  }

  private connected(ws: WebSocket, id: string, upstreamSession: Awaited<ReturnType<Upstream['open']>>): void {
    const maxBuffered = this.options.maxBufferedBytes ?? 8 * 1024 * 1024;
    const session = new ConnectionSession(
      id,
      upstreamSession,
      (message) => {
        if (ws.readyState !== ws.OPEN) return;
        if (ws.bufferedAmount > maxBuffered) {
          ws.close(1008, 'client is not reading fast enough');
          return;
        }
        ws.send(JSON.stringify(message));
      },
      (reason) => {
        if (ws.readyState === ws.OPEN) ws.close(1000, reason.slice(0, 120));
      },
      (s) => this.registry.delete(s.id),
    );
    this.registry.add(session);
    this.alive.set(ws, true);
    ws.on('pong', () => this.alive.set(ws, true));
    ws.on('message', (data, isBinary) => {
      const text = isBinary ? Buffer.from(data as Buffer).toString('utf8') : data.toString();
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (error) {
        ws.send(
          JSON.stringify(
            errorResponse(null, ErrorCode.ParseError, `frame is not valid JSON: ${(error as Error).message}`),
          ),
        );
        return;
      }
      const message = validateMessage(parsed);
      if (typeof message === 'string') {
        const rid = (parsed as { id?: string | number } | null)?.id ?? null;
        ws.send(
          JSON.stringify(
            errorResponse(rid, ErrorCode.InvalidRequest, `invalid JSON-RPC message: ${message}`),
          ),
        );
        return;
      }
      session.send(message).catch((error) => this.logger?.warn((error as Error).message));
    });
    ws.on('close', () => void session.close('client disconnected'));
    ws.on('error', (error) => this.logger?.debug('websocket error', { error: error.message }));
  }

  private ping(): void {
    for (const ws of this.wss.clients) {
      if (this.alive.get(ws) === false) {
        ws.terminate();
        continue;
      }
      this.alive.set(ws, false);
      ws.ping();
    }
  }
}
