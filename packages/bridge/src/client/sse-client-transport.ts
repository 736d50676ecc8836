import { BridgeError } from '../core/bridge-error.js';
import { ErrorCode, errorResponse, isRequest, isResponse, type JsonRpcMessage } from '../core/json-rpc.js';
import type { Logger } from '../core/logger.js';
import type { CloseInfo, MessageTransport } from '../core/message-transport.js';
import { parseMessages } from './parse-messages.js';
import { readSse } from './sse-parser.js';
import { causeOf } from './streamable-http-client-transport.js';

/** Options of {@link SseClientTransport}. */
export interface SseClientOptions {
  /** The SSE endpoint (e.g. http://host:8000/sse). */
  url: string;
  headers?: Record<string, string>;
  /** How long to wait for the `endpoint` event, ms (default 10 000). */
  connectTimeoutMs?: number;
  logger?: Logger;
}

/**
 * Legacy HTTP+SSE client (MCP 2024-11-05): opens the event stream, waits for the `endpoint` event,
 * then POSTs messages there; answers arrive as `message` events. A POST that fails answers its
 * request with a JSON-RPC error; the stream ending closes the transport (unexpectedly).
 */
export class SseClientTransport implements MessageTransport {
  onmessage?: (message: JsonRpcMessage) => void;
  onclose?: (info?: CloseInfo) => void;
  onerror?: (error: Error) => void;
  private endpoint?: URL;
  private readonly abort = new AbortController();
  private closed = false;

  /** @param options URL and headers */
  constructor(private readonly options: SseClientOptions) {}

  /** Connects and resolves once the endpoint is known; rejects with CONNECT_FAILED otherwise. */
  async start(): Promise<void> {
    const { url } = this.options;
    let response: Response;
    try {
      response = await fetch(url, {
        headers: { accept: 'text/event-stream', ...this.options.headers },
        signal: this.abort.signal,
      });
    } catch (error) {
      throw new BridgeError('CONNECT_FAILED', `cannot connect to ${url}: ${causeOf(error)}`, error);
    }
    if (!response.ok || !response.body) {
      await response.body?.cancel();
      throw new BridgeError(
        'CONNECT_FAILED',
        `${url} answered HTTP ${response.status}; expected an event stream`,
      );
    }
    const body = response.body;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(
          new BridgeError(
            'CONNECT_FAILED',
            `${url} sent no "endpoint" event within ${this.options.connectTimeoutMs ?? 10_000} ms`,
          ),
        );
        this.abort.abort();
      }, this.options.connectTimeoutMs ?? 10_000);
      readSse(body, (event) => {
        if (event.event === 'endpoint') {
          this.endpoint = new URL(event.data.trim(), url);
          clearTimeout(timer);
          resolve();
          return;
        }
        if (event.event !== 'message') return;
        const parsed = parseMessages(event.data);
        if (typeof parsed === 'string')
          this.onerror?.(new Error(`server sent an invalid message: ${parsed}`));
        else for (const m of parsed) this.onmessage?.(m);
      })
        .catch((error) => this.options.logger?.debug('SSE stream error', { error: causeOf(error) }))
        .finally(() => {
          clearTimeout(timer);
          reject(
            new BridgeError('CONNECT_FAILED', `${url} closed the event stream before sending "endpoint"`),
          );
          this.finish('event stream ended', !this.closed);
        });
    });
  }

  async send(message: JsonRpcMessage): Promise<void> {
    if (!this.endpoint || this.closed) throw new BridgeError('CLOSED', 'SSE connection is not open');
    const request = isRequest(message) ? message : undefined;
    try {
      const response = await fetch(this.endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...this.options.headers },
        body: JSON.stringify(message),
        signal: this.abort.signal,
      });
      const text = await response.text();
      if (!response.ok && request) {
        const parsed = parseMessages(text);
        if (typeof parsed !== 'string' && parsed.length > 0) {
          // An HTTP-level refusal carries a JSON-RPC error with id null: it answers this request.
          for (const m of parsed)
            this.onmessage?.(isResponse(m) && m.id === null ? { ...m, id: request.id } : m);
        } else
          this.onmessage?.(
            errorResponse(
              request.id,
              ErrorCode.ConnectionClosed,
              `${this.endpoint} answered HTTP ${response.status}: ${text.slice(0, 200)}`,
            ),
          );
      }
    } catch (error) {
      if (this.closed) return;
      if (request)
        this.onmessage?.(
          errorResponse(
            request.id,
            ErrorCode.ConnectionClosed,
            `cannot POST to ${this.endpoint}: ${causeOf(error)}`,
          ),
        );
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.abort.abort();
    this.finish('closed', false);
  }

  private finished = false;
  private finish(reason: string, unexpected: boolean): void {
    if (this.finished) return;
    this.finished = true;
    this.onclose?.({ reason, unexpected });
  }
}
