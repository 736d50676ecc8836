import type { ServerResponse } from 'node:http';
import {
  ErrorCode,
  errorResponse,
  isNotification,
  isResponse,
  type JsonRpcId,
  type JsonRpcMessage,
  type JsonRpcRequest,
  progressTokenOf,
} from '../core/json-rpc.js';
import type { Logger } from '../core/logger.js';
import type { UpstreamSession } from '../upstream/upstream.js';
import type { ResponseSink } from './response-sink.js';
import type { ManagedSession } from './session-registry.js';
import { SseStream } from './sse-stream.js';

/** Messages kept for a session that has no open stream to receive them (oldest dropped first). */
const MAX_BACKLOG = 1000;

/**
 * A streamable-HTTP client session: routes the upstream's messages to the HTTP exchange they belong
 * to. Responses go to the POST that carried the request; progress goes to the POST whose request
 * holds its token; other server messages go to the newest open POST stream, else the GET stream,
 * else a bounded backlog delivered when a GET stream opens. A client that disconnects before its
 * answer has its request cancelled upstream (`notifications/cancelled`).
 */
export class StreamableSession implements ManagedSession {
  readonly connectionBound = false;
  lastActivity = Date.now();
  private readonly pending = new Map<JsonRpcId, ResponseSink>();
  private readonly progress = new Map<JsonRpcId, ResponseSink>();
  private getStream?: SseStream;
  private backlog: JsonRpcMessage[] = [];
  private ended = false;

  /**
   * @param id session id
   * @param upstream the server side of the session
   * @param transient true for stateless requests: the session ends once its request is answered
   * @param onEnd called once when the session ends
   */
  constructor(
    readonly id: string,
    private readonly upstream: UpstreamSession,
    private readonly transient: boolean,
    private readonly onEnd: (session: StreamableSession) => void,
    private readonly logger?: Logger,
  ) {
    upstream.onmessage = (message) => this.deliver(message);
    upstream.onclose = (info) => void this.close(`MCP server ended (${info?.reason ?? 'closed'})`);
  }

  /** True while a GET stream is open. */
  get hasGetStream(): boolean {
    return this.getStream !== undefined && !this.getStream.closed;
  }

  /** Forwards a client notification or response. */
  async notify(message: JsonRpcMessage): Promise<void> {
    this.lastActivity = Date.now();
    await this.upstream.send(message);
  }

  /** Forwards a client request whose answer goes to `sink`. */
  async request(request: JsonRpcRequest, sink: ResponseSink): Promise<void> {
    this.lastActivity = Date.now();
    if (this.pending.has(request.id)) {
      sink.complete(
        errorResponse(
          request.id,
          ErrorCode.InvalidRequest,
          `request id ${JSON.stringify(request.id)} is already pending`,
        ),
      );
      return;
    }
    this.pending.set(request.id, sink);
    const token = progressTokenOf(request);
    if (token !== undefined) this.progress.set(token, sink);
    sink.onabort = () => {
      if (this.pending.get(request.id) !== sink) return;
      this.forget(request.id, token);
      this.logger?.debug('client disconnected before the answer; cancelling', { id: request.id });
      void this.upstream
        .send({
          jsonrpc: '2.0',
          method: 'notifications/cancelled',
          params: { requestId: request.id, reason: 'client disconnected' },
        })
        .catch(() => undefined);
      if (this.transient) void this.close('request aborted');
    };
    try {
      await this.upstream.send(request);
    } catch (error) {
      this.forget(request.id, token);
      sink.complete(errorResponse(request.id, ErrorCode.ConnectionClosed, (error as Error).message));
    }
  }

  /** Opens the standalone GET stream and flushes the backlog into it. */
  openGetStream(res: ServerResponse, headers: Record<string, string>, keepAliveMs: number): void {
    const stream = new SseStream(res, { headers, keepAliveMs });
    this.getStream = stream;
    stream.open();
    stream.onclose = () => {
      if (this.getStream === stream) this.getStream = undefined;
    };
    const backlog = this.backlog;
    this.backlog = [];
    for (const message of backlog) stream.message(message);
  }

  /** Ends the session: pending requests get an error, streams end, the upstream session closes. */
  async close(reason: string): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    for (const [id, sink] of this.pending) {
      sink.complete(errorResponse(id, ErrorCode.ConnectionClosed, `session closed: ${reason}`));
    }
    this.pending.clear();
    this.progress.clear();
    this.getStream?.end();
    this.onEnd(this);
    await this.upstream.close();
  }

  private forget(id: JsonRpcId, token: JsonRpcId | undefined): void {
    this.pending.delete(id);
    if (token !== undefined) this.progress.delete(token);
  }

  private deliver(message: JsonRpcMessage): void {
    this.lastActivity = Date.now();
    if (isResponse(message)) {
      const sink = message.id === null ? undefined : this.pending.get(message.id);
      if (!sink) {
        this.logger?.debug('dropping a response nobody waits for', { id: message.id });
        return;
      }
      this.pending.delete(message.id!);
      for (const [token, s] of this.progress) if (s === sink) this.progress.delete(token);
      sink.complete(message);
      if (this.transient && this.pending.size === 0) void this.close('answered');
      return;
    }
    const subscription = (message as { params?: { _meta?: Record<string, unknown> } }).params?._meta?.[
      'io.modelcontextprotocol/subscriptionId'
    ];
    if (subscription !== undefined && isNotification(message)) {
      // A subscriptions/listen stream's notifications go to that stream only, or nowhere.
      const sink = this.pending.get(subscription as JsonRpcId);
      if (sink?.streaming && !sink.done) sink.event(message);
      return;
    }
    if (isNotification(message) && message.method === 'notifications/progress') {
      const token = (message.params as { progressToken?: JsonRpcId } | undefined)?.progressToken;
      const sink = token === undefined ? undefined : this.progress.get(token);
      if (sink?.streaming && !sink.done) {
        sink.event(message);
        return;
      }
    }
    this.route(message);
  }

  private route(message: JsonRpcMessage): void {
    let target: ResponseSink | undefined;
    for (const sink of this.pending.values()) if (sink.streaming && !sink.done) target = sink;
    if (target) {
      target.event(message);
      return;
    }
    if (this.getStream && !this.getStream.closed) {
      this.getStream.message(message);
      return;
    }
    this.backlog.push(message);
    if (this.backlog.length > MAX_BACKLOG) {
      this.backlog.shift();
      this.logger?.warn('session backlog full; dropped the oldest server message', { session: this.id });
    }
  }
}
