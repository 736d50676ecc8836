import type { IncomingMessage, ServerResponse } from 'node:http';
import { ErrorCode, isRequest } from '../core/json-rpc.js';
import type { Logger } from '../core/logger.js';
import type { Upstream } from '../upstream/upstream.js';
import { ConnectionSession } from './connection-session.js';
import type { HeaderEnvMapping } from './header-to-env.js';
import { sendRpcError } from './http-io.js';
import { readRpcMessage } from './rpc-body.js';
import { openUpstreamSession, sendSessionOpenFailure } from './session-opener.js';
import type { ManagedSession, SessionRegistry } from './session-registry.js';
import { SseStream } from './sse-stream.js';

/** Options of {@link SseHandler}. */
export interface SseHandlerOptions {
  /** Path of the message endpoint announced in the `endpoint` event. */
  messagePath: string;
  keepAliveMs: number;
  maxMessageBytes: number;
  headerToEnv: HeaderEnvMapping[];
}

/**
 * The legacy HTTP+SSE transport (MCP 2024-11-05): `GET <ssePath>` opens a session stream whose first
 * event names the message endpoint; `POST <messagePath>?sessionId=…` delivers client messages
 * (answered 202; replies travel on the stream). ContextForge's `session_id` spelling is accepted.
 */
export class SseHandler {
  constructor(
    private readonly options: SseHandlerOptions,
    private readonly registry: SessionRegistry<ManagedSession>,
    private readonly upstream: () => Upstream,
    private readonly logger?: Logger,
  ) {}

  /** `GET <ssePath>`: opens a session and its stream. */
  async open(req: IncomingMessage, res: ServerResponse, headers: Record<string, string>): Promise<void> {
    if (req.method !== 'GET') {
      return sendRpcError(
        res,
        405,
        ErrorCode.InvalidRequest,
        `use GET to open the SSE stream, not ${req.method}`,
        null,
        { ...headers, allow: 'GET' },
      );
    }
    const opened = await openUpstreamSession(this.registry, this.upstream, req, this.options.headerToEnv);
    if (!('id' in opened)) {
      const overloaded = 'too many sessions open (--max-sessions); retry later';
      return sendSessionOpenFailure(res, opened, overloaded, null, headers);
    }
    const { id } = opened;
    const stream = new SseStream(res, { headers, keepAliveMs: this.options.keepAliveMs });
    const session = new ConnectionSession(
      id,
      opened.upstream,
      (message) => stream.message(message),
      () => stream.end(),
      (s) => this.registry.delete(s.id),
    );
    this.registry.add(session);
    stream.onclose = () => void session.close('client disconnected');
    stream.event('endpoint', `${this.options.messagePath}?sessionId=${id}`);
    this.logger?.debug('SSE session opened', { session: id });
  }

  /** `POST <messagePath>?sessionId=…`: forwards one client message. */
  async message(
    req: IncomingMessage,
    res: ServerResponse,
    headers: Record<string, string>,
    url: URL,
  ): Promise<void> {
    if (req.method !== 'POST') {
      return sendRpcError(
        res,
        405,
        ErrorCode.InvalidRequest,
        `use POST to send messages, not ${req.method}`,
        null,
        { ...headers, allow: 'POST' },
      );
    }
    const message = await readRpcMessage(req, res, headers, this.options.maxMessageBytes, false);
    if (!message) return;
    const requestId = isRequest(message) ? message.id : null;
    const sessionId = url.searchParams.get('sessionId') ?? url.searchParams.get('session_id');
    if (!sessionId) {
      return sendRpcError(
        res,
        400,
        ErrorCode.InvalidRequest,
        'query parameter sessionId is required (from the SSE endpoint event)',
        requestId,
        headers,
      );
    }
    const session = this.registry.get(sessionId);
    if (!(session instanceof ConnectionSession)) {
      return sendRpcError(
        res,
        404,
        ErrorCode.SessionNotFound,
        `session "${sessionId}" not found (its SSE stream is closed or never opened)`,
        requestId,
        headers,
      );
    }
    try {
      await session.send(message);
    } catch (error) {
      return sendRpcError(res, 502, ErrorCode.ConnectionClosed, (error as Error).message, requestId, headers);
    }
    res.writeHead(202, { ...headers, 'content-type': 'text/plain' }).end('Accepted');
  }
}
