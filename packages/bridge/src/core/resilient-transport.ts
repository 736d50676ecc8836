import { Backoff, type BackoffOptions } from './backoff.js';
import { BridgeError } from './bridge-error.js';
import {
  ErrorCode,
  errorResponse,
  isNotification,
  isRequest,
  isResponse,
  type JsonRpcId,
  type JsonRpcMessage,
  type JsonRpcNotification,
  type JsonRpcRequest,
} from './json-rpc.js';
import type { Logger } from './logger.js';
import type { CloseInfo, MessageTransport } from './message-transport.js';

/** Reconnect policy of a {@link ResilientTransport}. */
export interface ReconnectOptions extends BackoffOptions {
  /** A connection that lived this long resets the backoff (default 30 000 ms). */
  stableAfterMs?: number;
}

const REPLAY_PREFIX = '__bridge_replay_';

/**
 * Keeps a client-side MCP connection (child process, WebSocket, SSE stream) alive across failures:
 * requests pending when it drops are answered with a JSON-RPC error (`-32000`, naming the cause),
 * a new connection is made with exponential backoff, and the `initialize` request and
 * `notifications/initialized` seen earlier are replayed on it (their answers swallowed), so the
 * client's session goes on. Requests sent while disconnected are answered with an error at once
 * rather than queued without bound.
 */
export class ResilientTransport implements MessageTransport {
  onmessage?: (message: JsonRpcMessage) => void;
  onclose?: (info?: CloseInfo) => void;
  onerror?: (error: Error) => void;
  /** Called after each successful reconnect, with the reconnect count. */
  onreconnect?: (count: number) => void;
  protected transport?: MessageTransport;
  protected readonly pending = new Map<JsonRpcId, string>();
  private readonly replayIds = new Set<JsonRpcId>();
  private initRequest?: JsonRpcRequest;
  private initialized?: JsonRpcNotification;
  private readonly backoff: Backoff;
  private state: 'idle' | 'up' | 'down' | 'closed' = 'idle';
  private connectedAt = 0;
  private timer?: NodeJS.Timeout;
  private reconnects = 0;

  /**
   * @param create makes a new, unstarted connection
   * @param what names the peer in errors ("MCP server process", "remote MCP server")
   * @param reconnect backoff policy, or false to close for good on the first failure
   * @param logger diagnostics
   */
  constructor(
    private readonly create: () => MessageTransport,
    private readonly what: string,
    private readonly reconnect: ReconnectOptions | false = {},
    protected readonly logger?: Logger,
  ) {
    this.backoff = new Backoff(
      reconnect === false ? { maxAttempts: 1 } : { initialDelayMs: 500, ...reconnect },
    );
  }

  /** How often the connection was re-established. */
  get reconnectCount(): number {
    return this.reconnects;
  }

  /** Requests sent and not answered yet. */
  get pendingCount(): number {
    return this.pending.size;
  }

  /** Makes the first connection; rejects when it cannot be made at all. */
  async start(): Promise<void> {
    try {
      await this.connect();
    } catch (error) {
      this.state = 'closed';
      clearTimeout(this.timer);
      throw error;
    }
  }

  /** Sends a message; tracks requests so that a failure can answer them. */
  async send(message: JsonRpcMessage): Promise<void> {
    if (this.state === 'closed') throw new BridgeError('CLOSED', `${this.what} connection has been closed`);
    const up = this.state === 'up';
    if (isRequest(message)) {
      if (message.method === 'initialize') this.initRequest = message;
      if (!up) {
        queueMicrotask(() =>
          this.onmessage?.(
            errorResponse(
              message.id,
              ErrorCode.ConnectionClosed,
              `${this.what} is unavailable (reconnecting, attempt ${this.backoff.attempts}); retry shortly`,
            ),
          ),
        );
        return;
      }
      this.pending.set(message.id, message.method);
    } else if (isNotification(message)) {
      if (message.method === 'notifications/initialized') this.initialized = message;
      // A cancelled request gets no answer (MCP cancellation): stop tracking it.
      if (message.method === 'notifications/cancelled') {
        this.pending.delete(
          (message.params as { requestId?: JsonRpcId } | undefined)?.requestId as JsonRpcId,
        );
      }
    }
    if (!up) return;
    await this.transport!.send(message);
  }

  /** Closes the connection; no reconnect follows. */
  async close(): Promise<void> {
    if (this.state === 'closed' && !this.transport) return;
    const wasClosed = this.state === 'closed';
    this.state = 'closed';
    clearTimeout(this.timer);
    const transport = this.transport;
    this.transport = undefined;
    await transport?.close();
    if (!wasClosed) this.onclose?.({ reason: 'closed', unexpected: false });
  }

  /** Handles a non-fatal error of the current connection (subclasses answer oversize messages). */
  protected connectionError(error: Error): void {
    this.logger?.warn(error.message);
    this.onerror?.(error);
  }

  /** Answers one pending request with an error (used by subclasses). */
  protected fail(id: JsonRpcId, code: number, message: string): void {
    if (this.pending.delete(id)) this.onmessage?.(errorResponse(id, code, message));
  }

  private async connect(): Promise<void> {
    const transport = this.create();
    transport.onmessage = (message) => this.received(message);
    transport.onerror = (error) => this.connectionError(error);
    transport.onclose = (info) => this.dropped(transport, info);
    this.transport = transport;
    await transport.start();
    if (this.transport !== transport) return;
    this.connectedAt = Date.now();
    this.state = 'up';
  }

  private received(message: JsonRpcMessage): void {
    if (isResponse(message) && message.id !== null) {
      if (this.replayIds.delete(message.id)) return;
      this.pending.delete(message.id);
    }
    this.onmessage?.(message);
  }

  private dropped(transport: MessageTransport, info: CloseInfo | undefined): void {
    if (transport !== this.transport) return;
    const reason = info?.reason ?? 'closed';
    for (const [id, method] of this.pending) {
      this.onmessage?.(
        errorResponse(id, ErrorCode.ConnectionClosed, `${this.what} ${reason} before answering "${method}"`),
      );
    }
    this.pending.clear();
    if (this.state === 'closed') return;
    this.state = 'down';
    this.logger?.warn(`${this.what} ${reason}`);
    const stableAfter = this.reconnect === false ? 0 : (this.reconnect.stableAfterMs ?? 30_000);
    if (this.connectedAt > 0 && Date.now() - this.connectedAt > stableAfter) this.backoff.reset();
    if (this.reconnect === false || this.backoff.exhausted) {
      this.state = 'closed';
      this.transport = undefined;
      this.onclose?.({ reason: `${this.what} ${reason}`, unexpected: true });
      return;
    }
    const wait = this.backoff.next();
    this.logger?.info(`reconnecting to ${this.what} in ${wait} ms`, { attempt: this.backoff.attempts });
    this.timer = setTimeout(() => void this.again(), wait);
  }

  private async again(): Promise<void> {
    if (this.state !== 'down') return;
    try {
      await this.connect();
    } catch (error) {
      // The failed connection reported itself through onclose → dropped() schedules the next try.
      this.logger?.warn((error as Error).message);
      return;
    }
    this.reconnects += 1;
    if (this.initRequest) {
      const id = `${REPLAY_PREFIX}${this.reconnects}`;
      this.replayIds.add(id);
      await this.transport!.send({ ...this.initRequest, id }).catch(() => undefined);
      if (this.initialized) await this.transport!.send(this.initialized).catch(() => undefined);
    }
    this.onreconnect?.(this.reconnects);
  }
}
