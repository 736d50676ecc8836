import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import { admit, type EngineInternals } from './engine-internals.js';
import { McpError, toJsonRpcError } from './errors.js';
import { classifyMessage, errorFrame, idOf, parseJson, resultFrame } from './json-rpc.js';
import { discoverResult, initializeClient, initializeResult, negotiateVersion } from './lifecycle.js';
import { ErrorCode, isModernVersion, LEGACY_PROTOCOL_VERSIONS, META } from './protocol.js';
import { runRequest } from './request-runner.js';
import type { RequestSink } from './request-sink.js';
import { serializeResult } from './result-shaping.js';
import type { Scope } from './types.js';

interface WsState {
  id: string;
  protocolVersion: string;
  clientCapabilities: Record<string, unknown>;
  clientInfo?: { name: string; version: string };
  logLevel?: string;
  subscriptions: string[];
  inFlight: number;
}

/**
 * MCP over WebSocket: one JSON-RPC message per text frame, full duplex (requests, notifications
 * and server→client requests both ways). The socket is the session: it lives on this replica
 * only, so it needs no shared state.
 */
export class WebSocketTransport {
  readonly #wss: WebSocketServer;

  constructor(private readonly engine: EngineInternals) {
    this.#wss = new WebSocketServer({
      noServer: true,
      maxPayload: engine.limits.maxBodyBytes,
      handleProtocols: (protocols) => (protocols.has('mcp') ? 'mcp' : false),
    });
  }

  /** Completes an upgrade after admission; refuses it with an HTTP status otherwise. */
  async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, scope: Scope): Promise<void> {
    let principal: Awaited<ReturnType<typeof admit>>;
    try {
      principal = await admit(this.engine, req);
    } catch (err) {
      const status = err instanceof McpError && err.httpStatus !== undefined ? err.httpStatus : 401;
      const body = JSON.stringify({ jsonrpc: '2.0', id: null, error: toJsonRpcError(err) });
      socket.end(
        `HTTP/1.1 ${status} Refused\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
      );
      return;
    }
    this.#wss.handleUpgrade(req, socket, head, (ws) =>
      this.#serve(ws, scope, principal, req.headers, req.socket.remoteAddress),
    );
  }

  /** Closes every socket. */
  async close(): Promise<void> {
    for (const ws of this.#wss.clients) ws.terminate();
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
  }

  #serve(
    ws: WebSocket,
    scope: Scope,
    principal: Awaited<ReturnType<typeof admit>>,
    headers: IncomingMessage['headers'],
    remoteAddress: string | undefined,
  ): void {
    const { engine } = this;
    const state: WsState = {
      id: `ws-${randomBytes(12).toString('base64url')}`,
      protocolVersion: LEGACY_PROTOCOL_VERSIONS[0] as string,
      clientCapabilities: {},
      subscriptions: [],
      inFlight: 0,
    };
    const send = (frame: string): void => {
      if (ws.readyState === ws.OPEN) ws.send(frame);
    };
    const closed = new AbortController();
    const unregister = engine.hub.addChannel({
      sessionId: state.id,
      scope,
      write: send,
      close: () => ws.close(1001, 'session ended'),
      subscribed: (uri) => state.subscriptions.includes(uri),
    });
    ws.on('close', () => {
      unregister();
      closed.abort(new Error('WebSocket closed'));
      engine.runner.inFlight.cancelSession(state.id);
    });
    ws.on('message', (data, isBinary) => {
      const text = isBinary ? Buffer.from(data as Buffer).toString('utf8') : data.toString();
      let value: unknown;
      let message: ReturnType<typeof classifyMessage>;
      try {
        value = parseJson(text);
        message = classifyMessage(value);
      } catch (err) {
        send(errorFrame(idOf(value), toJsonRpcError(err)));
        return;
      }
      if (message.kind === 'response') {
        void engine.hub.routeClientResponse(message.msg);
        return;
      }
      if (message.kind === 'notification') {
        const p = message.msg.params;
        if (
          message.msg.method === 'notifications/cancelled' &&
          (typeof p?.requestId === 'string' || typeof p?.requestId === 'number')
        ) {
          engine.runner.inFlight.cancel(state.id, p.requestId);
        }
        return;
      }
      const req = message.msg;
      if (req.method === 'initialize') {
        void (async () => {
          try {
            state.protocolVersion = negotiateVersion(req.params);
            const client = initializeClient(req.params);
            state.clientCapabilities = client.capabilities;
            state.clientInfo = client.clientInfo;
            send(
              resultFrame(
                req.id,
                JSON.stringify(
                  initializeResult(await engine.runner.serverInfo.get(scope), state.protocolVersion),
                ),
              ),
            );
          } catch (err) {
            send(errorFrame(req.id, toJsonRpcError(err)));
          }
        })();
        return;
      }
      if (state.inFlight >= engine.limits.maxWsInFlight) {
        send(
          errorFrame(req.id, {
            code: ErrorCode.InternalError,
            message: `too many concurrent requests on this WebSocket (${engine.limits.maxWsInFlight})`,
          }),
        );
        return;
      }
      const meta = req.params?._meta as Record<string, unknown> | undefined;
      const declared = meta?.[META.protocolVersion];
      const modern = typeof declared === 'string' && isModernVersion(declared);
      if (modern && req.method === 'server/discover') {
        // A 2026-07-28 client starts with discovery (the SDK's pinned mode requires it): answer it
        // like the HTTP transport does, or such clients cannot use the socket at all.
        void (async () => {
          try {
            const desc = await engine.runner.serverInfo.get(scope);
            const hints = {
              ttlMs: engine.runner.cacheTtlMs,
              cacheScope: principal.subject === 'anonymous' ? ('public' as const) : ('private' as const),
            };
            send(
              resultFrame(req.id, serializeResult(req.method, discoverResult(desc), true, hints, undefined)),
            );
          } catch (err) {
            send(errorFrame(req.id, toJsonRpcError(err)));
          }
        })();
        return;
      }
      state.inFlight++;
      const sink: RequestSink = { streaming: true, send, respond: send };
      void runRequest(
        engine.runner,
        req,
        {
          scope,
          principal,
          protocolVersion: modern ? (declared as string) : state.protocolVersion,
          modern,
          clientCapabilities: modern
            ? ((meta?.[META.clientCapabilities] as Record<string, unknown>) ?? {})
            : state.clientCapabilities,
          clientInfo: state.clientInfo,
          sessionId: state.id,
          logLevel: state.logLevel,
          signal: closed.signal,
          headers,
          remoteAddress,
          session: {
            setLogLevel: async (level) => {
              state.logLevel = level;
            },
            subscribe: async (uri) => {
              if (!state.subscriptions.includes(uri)) state.subscriptions.push(uri);
              if (state.subscriptions.length > 100) state.subscriptions.shift();
            },
            unsubscribe: async (uri) => {
              state.subscriptions = state.subscriptions.filter((u) => u !== uri);
            },
          },
        },
        sink,
      ).finally(() => {
        state.inFlight--;
      });
    });
  }
}
