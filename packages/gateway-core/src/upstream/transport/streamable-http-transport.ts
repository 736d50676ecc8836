import type { Dispatcher } from 'undici';
import { type JsonRpcMessage, type JsonRpcRequest, preview } from '../json-rpc.js';
import { encodeHeaderValue } from '../mcp-headers.js';
import { isModernVersion, MCP_NAME_SOURCE, META } from '../protocol.js';
import { UpstreamError } from '../upstream-error.js';
import { type HttpExchangeOutcome, runHttpExchange } from './http-exchange.js';
import type { SendOptions, TransportHandlers, UpstreamTransport } from './transport.js';

/** Options of a {@link StreamableHttpTransport}. */
export interface StreamableHttpOptions {
  url: URL;
  /** Keep-alive pool of the URL's origin. */
  dispatcher: Dispatcher;
  /** Extra headers (auth) sent on every request. */
  headers?: Record<string, string>;
  /** Bound on one response body / SSE event. */
  maxResponseBytes: number;
  /** Display name for messages. */
  where: string;
  /** Attempts to resume a legacy SSE response stream that ended before its response (default 2). */
  maxResumeAttempts?: number;
}

/**
 * The upstream answered 404 to a request carrying our legacy `Mcp-Session-Id`: the session is gone
 * (server restart, idle expiry). The request was not processed, so re-initialising and re-sending
 * is safe (2025-06-18 §Session Management).
 */
export class SessionExpiredError extends UpstreamError {
  constructor(where: string) {
    super('closed', `${where}: the upstream no longer knows our session (HTTP 404)`, {
      notDelivered: true,
      status: 404,
    });
  }
}

/**
 * Streamable HTTP (both eras). Every request is one POST whose response is a JSON body or an SSE
 * stream carrying the response plus related notifications and server→client requests. Legacy:
 * keeps `Mcp-Session-Id` from the initialize response and `MCP-Protocol-Version` afterwards,
 * resumes a cut SSE response with `Last-Event-ID`. Modern (2026-07-28): mirrors the envelope
 * version, method and name into `MCP-Protocol-Version`, `Mcp-Method` and `Mcp-Name`.
 */
export class StreamableHttpTransport implements UpstreamTransport {
  readonly kind = 'streamable-http' as const;
  readonly exchanges = true;
  private handlers: TransportHandlers | undefined;
  private readonly path: string;
  private readonly baseHeaders: Record<string, string>;
  private sessionId: string | undefined;
  private protocolVersion: string | undefined;
  private closed = false;
  private legacyHeaders: Record<string, string> | undefined;
  private readonly modernHeaders = new Map<string, Record<string, string>>();

  /** @param options endpoint, dispatcher and bounds */
  constructor(private readonly options: StreamableHttpOptions) {
    this.path = `${options.url.pathname}${options.url.search}`;
    const base: Record<string, string> = {};
    for (const [k, v] of Object.entries(options.headers ?? {})) base[k.toLowerCase()] = v;
    base['content-type'] = 'application/json';
    base.accept = 'application/json, text/event-stream';
    this.baseHeaders = base;
  }

  /** The legacy session id, when the upstream issued one. */
  get session(): string | undefined {
    return this.sessionId;
  }

  async start(handlers: TransportHandlers): Promise<void> {
    this.handlers = handlers;
    this.closed = false;
  }

  setProtocolVersion(version: string | undefined): void {
    this.protocolVersion = version;
    this.legacyHeaders = undefined;
  }

  /** Forgets the legacy session (before re-initialising). */
  resetSession(): void {
    this.sessionId = undefined;
    this.legacyHeaders = undefined;
  }

  async send(message: JsonRpcMessage, options?: SendOptions): Promise<void> {
    if (this.closed || this.handlers === undefined) {
      throw new UpstreamError('closed', `${this.options.where}: transport is closed`, { notDelivered: true });
    }
    const handlers = this.handlers;
    const request =
      (message as JsonRpcRequest).id !== undefined && typeof (message as JsonRpcRequest).method === 'string'
        ? (message as JsonRpcRequest)
        : undefined;
    const isInitialize = request?.method === 'initialize';
    const headers = isInitialize ? this.initializeHeaders() : this.headersFor(message, options?.headers);
    const sentSession = headers['mcp-session-id'] !== undefined;
    let lastEventId: string | undefined;
    let retryMs: number | undefined;
    let answered = false;
    const exchangeId = request?.id;
    const outcome = await runHttpExchange(
      {
        dispatcher: this.options.dispatcher,
        path: this.path,
        method: 'POST',
        headers,
        body: JSON.stringify(message),
        maxBytes: this.options.maxResponseBytes,
        where: this.options.where,
        onMessage: (m) => {
          if (
            exchangeId !== undefined &&
            (m as { id?: unknown }).id === exchangeId &&
            (m as { method?: unknown }).method === undefined
          ) {
            answered = true;
          }
          handlers.onMessage(m, exchangeId);
        },
        onEventId: (id, retry) => {
          if (id !== undefined) lastEventId = id;
          if (retry !== undefined) retryMs = retry;
        },
        onWarning: handlers.onWarning,
        // The session id must be known before the initialize result is delivered: the
        // connection sends notifications/initialized as soon as it has the result.
        onHeaders: isInitialize
          ? (status, h) => {
              if (status < 200 || status >= 300) return;
              const sid = h['mcp-session-id'];
              this.sessionId = typeof sid === 'string' && sid !== '' ? sid : undefined;
              this.legacyHeaders = undefined;
            }
          : undefined,
      },
      options?.onAbortable,
    );
    if (outcome.kind === 'error') return this.failStatus(outcome, message, sentSession, handlers, exchangeId);
    if (request !== undefined && !answered) {
      if (outcome.kind === 'sse' && lastEventId !== undefined && !this.isModern(message)) {
        // 2025-11-25 §Resumability: the server may close the stream early; resume with GET.
        await this.resume(lastEventId, retryMs, exchangeId as string | number, handlers);
        return;
      }
      if (outcome.kind === 'empty') {
        throw new UpstreamError(
          'protocol',
          `${this.options.where}: upstream answered ${request.method} with HTTP ${outcome.status} and no response body`,
          { status: outcome.status },
        );
      }
    }
  }

  /**
   * Opens the legacy GET stream for server-initiated messages; resolves false when the server has
   * none (405), true when an opened stream ended.
   */
  async openEventStream(signal: AbortSignal): Promise<boolean> {
    const handlers = this.handlers;
    if (handlers === undefined || this.closed) return false;
    const headers: Record<string, string> = { ...this.baseHeaders, accept: 'text/event-stream' };
    delete headers['content-type'];
    if (this.sessionId !== undefined) headers['mcp-session-id'] = this.sessionId;
    if (this.protocolVersion !== undefined) headers['mcp-protocol-version'] = this.protocolVersion;
    const outcome = await runHttpExchange(
      {
        dispatcher: this.options.dispatcher,
        path: this.path,
        method: 'GET',
        headers,
        maxBytes: this.options.maxResponseBytes,
        where: this.options.where,
        onMessage: (m) => handlers.onMessage(m, undefined),
        onWarning: handlers.onWarning,
      },
      (abort) => {
        if (signal.aborted) abort(new UpstreamError('closed', 'event stream closed'));
        else
          signal.addEventListener('abort', () => abort(new UpstreamError('closed', 'event stream closed')), {
            once: true,
          });
      },
    );
    if (outcome.kind === 'error') {
      if (outcome.status === 405) return false;
      if (outcome.status === 404 && this.sessionId !== undefined)
        throw new SessionExpiredError(this.options.where);
      throw new UpstreamError(
        'http',
        `${this.options.where}: GET event stream answered HTTP ${outcome.status}`,
        {
          status: outcome.status,
        },
      );
    }
    return outcome.kind === 'sse';
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const sid = this.sessionId;
    this.sessionId = undefined;
    this.legacyHeaders = undefined;
    if (sid === undefined) return;
    // 2025-06-18 §Session Management: clients SHOULD end sessions with DELETE. Best effort, bounded.
    const headers: Record<string, string> = { ...this.baseHeaders, 'mcp-session-id': sid };
    delete headers['content-type'];
    if (this.protocolVersion !== undefined) headers['mcp-protocol-version'] = this.protocolVersion;
    await Promise.race([
      runHttpExchange({
        dispatcher: this.options.dispatcher,
        path: this.path,
        method: 'DELETE',
        headers,
        maxBytes: 64 * 1024,
        where: this.options.where,
        onMessage: () => {},
        onWarning: () => {},
      }).catch(() => undefined),
      new Promise((r) => setTimeout(r, 1000).unref()),
    ]);
  }

  private isModern(message: JsonRpcMessage): boolean {
    const v = (message as JsonRpcRequest).params?._meta as Record<string, unknown> | undefined;
    return typeof v?.[META.protocolVersion] === 'string';
  }

  /**
   * Per-message headers: the envelope's version, method and name (2026-07-28), or session id and
   * version (legacy). The objects are cached and shared (undici only reads them), so the hot path
   * allocates a header object only when a call carries extra (Mcp-Param-*) headers.
   */
  private headersFor(
    message: JsonRpcMessage,
    extra: Record<string, string> | undefined,
  ): Record<string, string> {
    const m = message as JsonRpcRequest;
    const version = (m.params?._meta as Record<string, unknown> | undefined)?.[META.protocolVersion];
    let headers: Record<string, string>;
    if (typeof version === 'string' && isModernVersion(version)) {
      const method = typeof m.method === 'string' ? m.method : '';
      const field = MCP_NAME_SOURCE[method];
      const raw = field === undefined ? undefined : m.params?.[field];
      const name = typeof raw === 'string' ? raw : undefined;
      const key = `${version}\n${method}\n${name ?? ''}`;
      let cached = this.modernHeaders.get(key);
      if (cached === undefined) {
        cached = { ...this.baseHeaders, 'mcp-protocol-version': version };
        if (method !== '') cached['mcp-method'] = method;
        if (name !== undefined) cached['mcp-name'] = encodeHeaderValue(name);
        // Bounded: names come from the upstream's own lists, but never trust a bound to that.
        if (this.modernHeaders.size >= 1024) this.modernHeaders.clear();
        this.modernHeaders.set(key, cached);
      }
      headers = cached;
    } else {
      if (this.legacyHeaders === undefined) {
        const h: Record<string, string> = { ...this.baseHeaders };
        if (this.sessionId !== undefined) h['mcp-session-id'] = this.sessionId;
        if (this.protocolVersion !== undefined) h['mcp-protocol-version'] = this.protocolVersion;
        this.legacyHeaders = h;
      }
      headers = this.legacyHeaders;
    }
    return extra === undefined ? headers : { ...headers, ...extra };
  }

  /** initialize opens a new session: never with the old id. */
  private initializeHeaders(): Record<string, string> {
    const h: Record<string, string> = { ...this.baseHeaders };
    if (this.protocolVersion !== undefined) h['mcp-protocol-version'] = this.protocolVersion;
    return h;
  }

  /** Maps a non-2xx answer to a typed error (or delivers a JSON-RPC error body as the response). */
  private failStatus(
    outcome: HttpExchangeOutcome,
    message: JsonRpcMessage,
    sentSession: boolean,
    handlers: TransportHandlers,
    exchangeId: string | number | undefined,
  ): void {
    const { status } = outcome;
    const where = this.options.where;
    const method = (message as JsonRpcRequest).method ?? 'response';
    if (status === 404 && sentSession) throw new SessionExpiredError(where);
    // A JSON-RPC error body for our request (2026-07-28 uses 400/404 + JSON-RPC error) is the answer.
    if (exchangeId !== undefined && outcome.errorBody) {
      try {
        const body = JSON.parse(outcome.errorBody) as { id?: unknown; error?: { code?: unknown } };
        if (body !== null && typeof body === 'object' && typeof body.error?.code === 'number') {
          if (body.id === exchangeId || body.id === null || body.id === undefined) {
            handlers.onMessage(
              { ...(body as object), id: exchangeId, jsonrpc: '2.0' } as JsonRpcMessage,
              exchangeId,
            );
            return;
          }
        }
      } catch {
        // not JSON: reported as an HTTP error below
      }
    }
    const detail = outcome.errorBody ? `: ${preview(outcome.errorBody)}` : '';
    if (status === 401 || status === 403) {
      throw new UpstreamError(
        'http',
        `${where}: upstream rejected the credentials for ${method} (HTTP ${status})${detail}`,
        {
          status,
          notDelivered: true,
        },
      );
    }
    // 429 and 503 are refusals before processing; anything else may have run.
    throw new UpstreamError('http', `${where}: upstream answered ${method} with HTTP ${status}${detail}`, {
      status,
      notDelivered: status === 429 || status === 503,
    });
  }

  /** Resumes a cut legacy SSE response with GET + Last-Event-ID until the response arrives (bounded). */
  private async resume(
    lastEventId: string,
    retryMs: number | undefined,
    exchangeId: string | number,
    handlers: TransportHandlers,
  ): Promise<void> {
    let eventId = lastEventId;
    const attempts = this.options.maxResumeAttempts ?? 2;
    for (let attempt = 0; attempt < attempts; attempt++) {
      await new Promise((r) => setTimeout(r, Math.min(retryMs ?? 0, 5000)));
      const headers: Record<string, string> = {
        ...this.baseHeaders,
        accept: 'text/event-stream',
        'last-event-id': eventId,
      };
      delete headers['content-type'];
      if (this.sessionId !== undefined) headers['mcp-session-id'] = this.sessionId;
      if (this.protocolVersion !== undefined) headers['mcp-protocol-version'] = this.protocolVersion;
      let answered = false;
      const outcome = await runHttpExchange({
        dispatcher: this.options.dispatcher,
        path: this.path,
        method: 'GET',
        headers,
        maxBytes: this.options.maxResponseBytes,
        where: this.options.where,
        onMessage: (m) => {
          if ((m as { id?: unknown }).id === exchangeId && (m as { method?: unknown }).method === undefined)
            answered = true;
          handlers.onMessage(m, exchangeId);
        },
        onEventId: (id, retry) => {
          if (id !== undefined) eventId = id;
          if (retry !== undefined) retryMs = retry;
        },
        onWarning: handlers.onWarning,
      });
      if (answered) return;
      if (outcome.kind === 'error') break;
    }
    throw new UpstreamError(
      'protocol',
      `${this.options.where}: the response stream ended before the response and could not be resumed`,
    );
  }
}
