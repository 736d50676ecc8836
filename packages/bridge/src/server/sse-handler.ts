import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ErrorCode, isRequest, validateMessage } from '../core/json-rpc.js';
import type { Logger } from '../core/logger.js';
import type { Upstream } from '../upstream/upstream.js';
import { ConnectionSession } from './connection-session.js';
import { envFromHeaders, type HeaderEnvMapping } from './header-to-env.js';
import { readBody, sendBodyError, sendRpcError } from './http-io.js';
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
    if (!this.registry.reserve()) {
      return sendRpcError(
        res,
        503,
        ErrorCode.Overloaded,
        'too many sessions open (--max-sessions); retry later',
        null,
        headers,
      );
    }
    let env: Record<string, string> | undefined;
    if (this.options.headerToEnv.length > 0) {
      const result = envFromHeaders(req, this.options.headerToEnv);
      if (typeof result === 'string') {
        this.registry.release();
        return sendRpcError(res, 400, ErrorCode.InvalidRequest, result, null, headers);
      }
      env = result;
    }
    const id = randomUUID();
    let upstreamSession: Awaited<ReturnType<Upstream['open']>>;
    try {
      upstreamSession = await this.upstream().open({ id, env });
    } catch (error) {
      this.registry.release();
      return sendRpcError(
        res,
        502,
        ErrorCode.InternalError,
        `cannot start the MCP server: ${(error as Error).message}`,
        null,
        headers,
      );
    }
    const stream = new SseStream(res, { headers, keepAliveMs: this.options.keepAliveMs });
    const session = new ConnectionSession(
      id,
      upstreamSession,
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
    let body: Buffer;
    try {
      body = await readBody(req, this.options.maxMessageBytes);
    } catch (error) {
      return sendBodyError(res, error);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch (error) {
      return sendRpcError(
        res,
        400,
        ErrorCode.ParseError,
        `request body is not valid JSON: ${(error as Error).message}`,
        null,
        headers,
      );
    }
    const message = validateMessage(parsed);
    if (typeof message === 'string') {
      return sendRpcError(
        res,
        400,
        ErrorCode.InvalidRequest,
        `invalid JSON-RPC message: ${message}`,
        null,
        headers,
      );
    }
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
