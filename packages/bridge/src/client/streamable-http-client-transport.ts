import { Backoff, delay } from '../core/backoff.js';
import {
  ErrorCode,
  errorResponse,
  isRequest,
  isResponse,
  type JsonRpcMessage,
  type JsonRpcRequest,
} from '../core/json-rpc.js';
import type { Logger } from '../core/logger.js';
import type { CloseInfo, MessageTransport } from '../core/message-transport.js';
import { parseMessages } from './parse-messages.js';
import { readSse } from './sse-parser.js';

/** Options shared by the HTTP client transports. */
export interface HttpClientOptions {
  /** Endpoint URL. */
  url: string;
  /** Extra request headers (e.g. Authorization). */
  headers?: Record<string, string>;
  /** Per-request timeout in ms (0 = none). A timed-out request is answered -32001 and cancelled upstream. */
  timeoutMs?: number;
  /** Retries after network errors and 502/503/504 (default 2). */
  retries?: number;
  /** Most requests in flight at once (default 10). */
  concurrency?: number;
  /** Open the GET stream for server-initiated messages after initialize (default true). */
  getStream?: boolean;
  logger?: Logger;
}

const RETRY_STATUS = new Set([502, 503, 504]);

/**
 * MCP streamable HTTP client (both eras): POSTs each message, reads JSON or SSE answers, keeps the
 * `Mcp-Session-Id` and `MCP-Protocol-Version` learned from `initialize`, mirrors `Mcp-Method`/
 * `Mcp-Name` headers, opens the GET stream for server-initiated messages (reconnecting with
 * backoff), retries transient failures, bounds concurrency and times requests out. Every failure of
 * a request becomes a JSON-RPC error response for it, so the local client is never left waiting.
 */
export class StreamableHttpClientTransport implements MessageTransport {
  onmessage?: (message: JsonRpcMessage) => void;
  onclose?: (info?: CloseInfo) => void;
  onerror?: (error: Error) => void;
  sessionId?: string;
  protocolVersion?: string;
  private readonly abort = new AbortController();
  private active = 0;
  private readonly queue: Array<() => void> = [];
  private getStreamRunning = false;
  private closed = false;

  /** @param options URL, headers, limits */
  constructor(private readonly options: HttpClientOptions) {}

  async start(): Promise<void> {}

  async send(message: JsonRpcMessage): Promise<void> {
    if (this.closed) return;
    // Only requests count against the concurrency limit: a cancellation or a response to a
    // server-initiated request must not wait behind the very calls it is about.
    if (!isRequest(message)) return this.post(message);
    await this.acquire();
    try {
      await this.post(message);
    } finally {
      this.release();
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.abort.abort();
    if (this.sessionId) {
      await fetch(this.options.url, {
        method: 'DELETE',
        headers: this.headers(),
        signal: AbortSignal.timeout(2000),
      }).catch(() => undefined);
    }
    this.onclose?.({ reason: 'closed', unexpected: false });
  }

  private headers(message?: JsonRpcMessage): Record<string, string> {
    const h: Record<string, string> = {
      accept: 'application/json, text/event-stream',
      ...this.options.headers,
    };
    if (message) h['content-type'] = 'application/json';
    if (this.sessionId) h['mcp-session-id'] = this.sessionId;
    if (this.protocolVersion) h['mcp-protocol-version'] = this.protocolVersion;
    if (message && 'method' in message) {
      h['mcp-method'] = message.method;
      const params = (message.params ?? {}) as Record<string, unknown>;
      const name = message.method === 'resources/read' ? params.uri : params.name;
      if (typeof name === 'string' && /^[\x20-\x7e]*$/.test(name)) h['mcp-name'] = name;
    }
    return h;
  }

  private async post(message: JsonRpcMessage): Promise<void> {
    const request = isRequest(message) ? message : undefined;
    const retries = this.options.retries ?? 2;
    const backoff = new Backoff({ initialDelayMs: 200, maxDelayMs: 5000 });
    const timeoutMs = this.options.timeoutMs ?? 0;
    const signals = [this.abort.signal];
    if (timeoutMs > 0) signals.push(AbortSignal.timeout(timeoutMs));
    const signal = AbortSignal.any(signals);
    for (;;) {
      let response: Response;
      try {
        response = await fetch(this.options.url, {
          method: 'POST',
          headers: this.headers(message),
          body: JSON.stringify(message),
          signal,
        });
      } catch (error) {
        if (this.closed) return;
        if (signal.aborted) return this.timedOut(request, timeoutMs);
        if (backoff.attempts < retries) {
          const wait = backoff.next();
          this.options.logger?.warn(
            `POST ${this.options.url} failed (${(error as Error).message}); retry in ${wait} ms`,
          );
          await delay(wait, signal);
          continue;
        }
        return this.fail(
          request,
          ErrorCode.ConnectionClosed,
          `cannot reach ${this.options.url}: ${causeOf(error)}`,
        );
      }
      if (RETRY_STATUS.has(response.status) && backoff.attempts < retries) {
        await response.body?.cancel();
        await delay(backoff.next(), signal);
        continue;
      }
      try {
        await this.handleResponse(response, request);
      } catch (error) {
        if (signal.aborted && !this.closed) return this.timedOut(request, timeoutMs);
        if (!this.closed)
          this.fail(
            request,
            ErrorCode.ConnectionClosed,
            `response stream from ${this.options.url} broke: ${causeOf(error)}`,
          );
      }
      return;
    }
  }

  private async handleResponse(response: Response, request?: JsonRpcRequest): Promise<void> {
    const sessionId = response.headers.get('mcp-session-id');
    if (sessionId) this.sessionId = sessionId;
    const type = response.headers.get('content-type') ?? '';
    if (response.status === 202 || (response.ok && !request && !type)) {
      await response.body?.cancel();
      return;
    }
    if (response.status === 404 && this.sessionId && request?.method !== 'initialize') {
      this.sessionId = undefined;
    }
    if (type.includes('text/event-stream') && response.body) {
      let answered = false;
      await readSse(response.body, (event) => {
        if (event.event !== 'message') return;
        const parsed = parseMessages(event.data);
        if (typeof parsed === 'string')
          return this.onerror?.(new Error(`server sent an invalid SSE message: ${parsed}`));
        for (const m of parsed) {
          if (request && isResponse(m) && m.id === request.id) answered = true;
          this.deliver(m, request);
        }
      });
      if (request && !answered)
        this.fail(
          request,
          ErrorCode.ConnectionClosed,
          `SSE response from ${this.options.url} ended before the answer`,
        );
      return;
    }
    const text = await response.text();
    const parsed = text ? parseMessages(text) : [];
    if (typeof parsed !== 'string' && parsed.length > 0) {
      for (const m of parsed) {
        // An HTTP-level refusal (401, 403, 413…) may carry a JSON-RPC error with id null: it answers this request.
        const answer = request && isResponse(m) && m.id === null && m.error ? { ...m, id: request.id } : m;
        this.deliver(answer, request);
      }
      return;
    }
    if (!response.ok) {
      const detail = text.slice(0, 300).replace(/\s+/g, ' ');
      return this.fail(
        request,
        ErrorCode.ConnectionClosed,
        `${this.options.url} answered HTTP ${response.status}${detail ? `: ${detail}` : ''}`,
      );
    }
    if (request)
      this.fail(
        request,
        ErrorCode.InternalError,
        `${this.options.url} answered HTTP ${response.status} without a JSON-RPC response`,
      );
  }

  private deliver(message: JsonRpcMessage, request?: JsonRpcRequest): void {
    if (
      request?.method === 'initialize' &&
      isResponse(message) &&
      message.id === request.id &&
      message.result
    ) {
      const version = (message.result as { protocolVersion?: string }).protocolVersion;
      if (version) this.protocolVersion = version;
      if (this.sessionId && this.options.getStream !== false) void this.runGetStream();
    }
    this.onmessage?.(message);
  }

  private fail(request: JsonRpcRequest | undefined, code: number, text: string): void {
    this.options.logger?.warn(text);
    if (request) this.onmessage?.(errorResponse(request.id, code, text));
    else this.onerror?.(new Error(text));
  }

  private timedOut(request: JsonRpcRequest | undefined, timeoutMs: number): void {
    if (!request) return;
    this.fail(
      request,
      ErrorCode.RequestTimeout,
      `request "${request.method}" timed out after ${timeoutMs} ms`,
    );
    void this.post({
      jsonrpc: '2.0',
      method: 'notifications/cancelled',
      params: { requestId: request.id, reason: 'timed out' },
    }).catch(() => undefined);
  }

  /** The standalone GET stream: server-initiated requests and notifications outside any POST. */
  private async runGetStream(): Promise<void> {
    if (this.getStreamRunning) return;
    this.getStreamRunning = true;
    const backoff = new Backoff({ initialDelayMs: 500, maxDelayMs: 30_000 });
    while (!this.closed && this.sessionId) {
      try {
        const response = await fetch(this.options.url, {
          method: 'GET',
          headers: { ...this.headers(), accept: 'text/event-stream' },
          signal: this.abort.signal,
        });
        if (response.status === 405 || response.status === 404 || response.status === 400) {
          await response.body?.cancel();
          break; // the server offers no GET stream (or the session is gone)
        }
        if (!response.ok || !response.body) {
          await response.body?.cancel();
          throw new Error(`HTTP ${response.status}`);
        }
        backoff.reset();
        await readSse(response.body, (event) => {
          if (event.event !== 'message') return;
          const parsed = parseMessages(event.data);
          if (typeof parsed !== 'string') for (const m of parsed) this.onmessage?.(m);
        });
      } catch (error) {
        if (this.closed) break;
        this.options.logger?.debug('GET stream dropped', { error: causeOf(error) });
      }
      await delay(backoff.next(), this.abort.signal);
    }
    this.getStreamRunning = false;
  }

  private acquire(): Promise<void> {
    if (this.active < (this.options.concurrency ?? 10)) {
      this.active += 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.queue.push(resolve));
  }

  private release(): void {
    const next = this.queue.shift();
    if (next) next();
    else this.active -= 1;
  }
}

/** The most telling message of a fetch failure (undici hides the socket error in `cause`). */
export function causeOf(error: unknown): string {
  const e = error as Error & { cause?: Error & { code?: string } };
  return e.cause ? `${e.message} (${e.cause.code ?? e.cause.message})` : e.message;
}
