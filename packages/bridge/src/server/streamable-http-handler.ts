import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ErrorCode, isRequest, type JsonRpcMessage, type JsonRpcRequest } from '../core/json-rpc.js';
import type { Logger } from '../core/logger.js';
import type { Upstream, UpstreamSession } from '../upstream/upstream.js';
import type { HeaderEnvMapping } from './header-to-env.js';
import { header, sendJson, sendRpcError } from './http-io.js';
import {
  checkModernHeaders,
  checkModernMeta,
  isModernHeader,
  isModernRequest,
  modernStatusOf,
} from './modern-era.js';
import { JsonSink, type ResponseSink, SseSink, type StatusOf } from './response-sink.js';
import { readRpcMessage } from './rpc-body.js';
import { openUpstreamSession, sendSessionOpenFailure } from './session-opener.js';
import type { ManagedSession, SessionRegistry } from './session-registry.js';
import { StreamableSession } from './streamable-session.js';
import { VersionGate } from './version-gate.js';

/** Options of {@link StreamableHttpHandler}. */
export interface StreamableHttpOptions {
  /** No sessions: every POST stands alone (legacy clients' initialize is answered from cache). */
  stateless: boolean;
  /** Answer requests with `application/json` instead of an SSE stream. */
  jsonResponse: boolean;
  keepAliveMs: number;
  maxMessageBytes: number;
  headerToEnv: HeaderEnvMapping[];
}

/** What the handler needs from the server that hosts it. */
export interface StreamableHttpContext {
  registry: SessionRegistry<ManagedSession>;
  /** Upstream for stateful sessions (per-session child or shared child). */
  sessionUpstream: () => Upstream;
  /** Shared upstream for stateless and 2026-07-28 requests. */
  sharedUpstream: () => Upstream;
  /** Shared upstream for 2026-07-28 requests (a child of its own: one era per stdio connection). */
  modernUpstream: () => Upstream;
  logger?: Logger;
}

/**
 * The MCP streamable HTTP transport on one path, both eras: 2026-07-28 requests (recognised by
 * their `_meta`/headers) are validated and served statelessly; older clients get sessions
 * (`initialize` → `Mcp-Session-Id`, GET stream, DELETE), or stateless service with `--stateless`.
 */
export class StreamableHttpHandler {
  private readonly notifySessions = new Map<Upstream, Promise<UpstreamSession>>();
  private readonly versionGate: VersionGate;

  constructor(
    private readonly options: StreamableHttpOptions,
    private readonly context: StreamableHttpContext,
  ) {
    this.versionGate = new VersionGate(context.modernUpstream, context.logger);
  }

  /** Handles one HTTP request on the MCP path. */
  async handle(req: IncomingMessage, res: ServerResponse, headers: Record<string, string>): Promise<void> {
    switch (req.method) {
      case 'POST':
        return this.post(req, res, headers);
      case 'GET':
        return this.get(req, res, headers);
      case 'DELETE':
        return this.delete(req, res, headers);
      default:
        return sendRpcError(
          res,
          405,
          ErrorCode.InvalidRequest,
          `method ${req.method} is not allowed on this path`,
          null,
          {
            ...headers,
            allow: 'GET, POST, DELETE',
          },
        );
    }
  }

  private async post(
    req: IncomingMessage,
    res: ServerResponse,
    headers: Record<string, string>,
  ): Promise<void> {
    const contentType = header(req, 'content-type') ?? '';
    if (!contentType.includes('application/json')) {
      return sendRpcError(
        res,
        415,
        ErrorCode.InvalidRequest,
        `Content-Type must be application/json, received "${contentType}"`,
        null,
        headers,
      );
    }
    const message = await readRpcMessage(req, res, headers, this.options.maxMessageBytes, true);
    if (!message) return;
    if (isModernRequest(req, message)) {
      const mismatch = checkModernHeaders(req, message);
      if (mismatch) {
        const id = isRequest(message) ? message.id : null;
        return sendRpcError(res, 400, ErrorCode.HeaderMismatch, mismatch, id, headers);
      }
      const missing = checkModernMeta(message);
      if (missing) {
        const id = isRequest(message) ? message.id : null;
        return sendRpcError(res, 400, ErrorCode.InvalidParams, `Invalid params: ${missing}`, id, headers);
      }
      const unsupported = await this.versionGate.check(message);
      if (unsupported) return sendJson(res, 400, unsupported, headers);
      return this.stateless(this.context.modernUpstream(), req, res, headers, message, modernStatusOf);
    }
    if (this.options.stateless)
      return this.stateless(this.context.sharedUpstream(), req, res, headers, message);
    const sessionId = header(req, 'mcp-session-id');
    if (sessionId === undefined) {
      if (isRequest(message) && message.method === 'initialize')
        return this.initialize(req, res, headers, message);
      const id = isRequest(message) ? message.id : null;
      return sendRpcError(
        res,
        400,
        ErrorCode.InvalidRequest,
        'Mcp-Session-Id header is required: send "initialize" first to open a session',
        id,
        headers,
      );
    }
    const session = this.session(sessionId);
    if (!session) return this.unknownSession(res, headers, sessionId, isRequest(message) ? message.id : null);
    return this.dispatch(session, message, req, res, headers);
  }

  private async initialize(
    req: IncomingMessage,
    res: ServerResponse,
    headers: Record<string, string>,
    message: JsonRpcRequest,
  ): Promise<void> {
    const { registry, logger } = this.context;
    const opened = await openUpstreamSession(
      registry,
      this.context.sessionUpstream,
      req,
      this.options.headerToEnv,
    );
    if (!('id' in opened)) {
      const overloaded = `too many sessions open (--max-sessions ${registry.size}); close one or retry later`;
      return sendSessionOpenFailure(res, opened, overloaded, message.id, headers);
    }
    const { id, upstream } = opened;
    const session = new StreamableSession(id, upstream, false, (s) => registry.delete(s.id), logger);
    registry.add(session);
    logger?.debug('session opened', { session: id });
    return this.dispatch(session, message, req, res, { ...headers, 'mcp-session-id': id });
  }

  private async dispatch(
    session: StreamableSession,
    message: JsonRpcMessage,
    req: IncomingMessage,
    res: ServerResponse,
    headers: Record<string, string>,
    statusOf?: StatusOf,
  ): Promise<void> {
    if (!isRequest(message)) {
      await session.notify(message).catch((error) => this.context.logger?.warn((error as Error).message));
      res.writeHead(202, headers).end();
      return;
    }
    await session.request(message, this.sink(req, res, headers, statusOf));
  }

  private sink(
    req: IncomingMessage,
    res: ServerResponse,
    headers: Record<string, string>,
    statusOf?: StatusOf,
  ): ResponseSink {
    const accept = header(req, 'accept') ?? '';
    // Clients that do not accept SSE get JSON even in SSE mode (lenient: the spec says they must accept both).
    if (this.options.jsonResponse || !accept.includes('text/event-stream'))
      return new JsonSink(res, headers, statusOf);
    return new SseSink(res, headers, this.options.keepAliveMs, statusOf);
  }

  private async stateless(
    upstream: Upstream,
    req: IncomingMessage,
    res: ServerResponse,
    headers: Record<string, string>,
    message: JsonRpcMessage,
    statusOf?: StatusOf,
  ): Promise<void> {
    if (!isRequest(message)) {
      // Notifications and responses of stateless clients share one long-lived upstream session.
      let notify = this.notifySessions.get(upstream);
      if (!notify) {
        notify = upstream.open({ id: 'stateless-notifications' });
        this.notifySessions.set(upstream, notify);
      }
      try {
        await (await notify).send(message);
      } catch (error) {
        this.notifySessions.delete(upstream);
        return sendRpcError(
          res,
          502,
          ErrorCode.InternalError,
          `cannot reach the MCP server: ${(error as Error).message}`,
          null,
          headers,
        );
      }
      res.writeHead(202, headers).end();
      return;
    }
    let session: UpstreamSession;
    try {
      session = await upstream.open({ id: randomUUID() });
    } catch (error) {
      return sendRpcError(
        res,
        502,
        ErrorCode.InternalError,
        `cannot start the MCP server: ${(error as Error).message}`,
        message.id,
        headers,
      );
    }
    const transient = new StreamableSession(session.id, session, true, () => undefined, this.context.logger);
    await transient.request(message, this.sink(req, res, headers, statusOf));
  }

  private async get(
    req: IncomingMessage,
    res: ServerResponse,
    headers: Record<string, string>,
  ): Promise<void> {
    if (this.options.stateless || isModernHeader(req)) {
      return this.refuseStateless(res, headers, 'there is no GET stream (use POST)');
    }
    const sessionId = header(req, 'mcp-session-id');
    if (sessionId === undefined) {
      return sendRpcError(
        res,
        400,
        ErrorCode.InvalidRequest,
        'Mcp-Session-Id header is required to open the GET stream',
        null,
        headers,
      );
    }
    const session = this.session(sessionId);
    if (!session) return this.unknownSession(res, headers, sessionId, null);
    if (!(header(req, 'accept') ?? '').includes('text/event-stream')) {
      return sendRpcError(
        res,
        406,
        ErrorCode.InvalidRequest,
        'Accept must include text/event-stream for the GET stream',
        null,
        headers,
      );
    }
    if (session.hasGetStream) {
      return sendRpcError(
        res,
        409,
        ErrorCode.InvalidRequest,
        'this session already has an open GET stream',
        null,
        headers,
      );
    }
    session.lastActivity = Date.now();
    session.openGetStream(res, headers, this.options.keepAliveMs);
  }

  private async delete(
    req: IncomingMessage,
    res: ServerResponse,
    headers: Record<string, string>,
  ): Promise<void> {
    if (this.options.stateless || isModernHeader(req)) {
      return this.refuseStateless(res, headers, 'there is no session to delete');
    }
    const sessionId = header(req, 'mcp-session-id');
    const session = sessionId === undefined ? undefined : this.session(sessionId);
    if (!session) return this.unknownSession(res, headers, sessionId ?? '(none)', null);
    await session.close('deleted by the client');
    res.writeHead(200, headers).end();
  }

  /** 405 to GET and DELETE when there are no sessions (`--stateless`, or a 2026-07-28 client). */
  private refuseStateless(res: ServerResponse, headers: Record<string, string>, what: string): void {
    sendRpcError(res, 405, ErrorCode.InvalidRequest, `this server is stateless: ${what}`, null, {
      ...headers,
      allow: 'POST',
    });
  }

  private session(id: string): StreamableSession | undefined {
    const session = this.context.registry.get(id);
    return session instanceof StreamableSession ? session : undefined;
  }

  private unknownSession(
    res: ServerResponse,
    headers: Record<string, string>,
    id: string,
    requestId: string | number | null,
  ): void {
    sendRpcError(
      res,
      404,
      ErrorCode.SessionNotFound,
      `session "${id}" not found (expired, deleted or never opened); send "initialize" without Mcp-Session-Id to open a new one`,
      requestId,
      headers,
    );
  }
}
