import type { Dispatcher } from 'undici';
import type { JsonRpcMessage } from '../json-rpc.js';
import { UpstreamError } from '../upstream-error.js';
import { runHttpExchange } from './http-exchange.js';
import type { TransportHandlers, UpstreamTransport } from './transport.js';

/** Options of an {@link SseTransport}. */
export interface SseTransportOptions {
  /** The SSE stream URL (GET). */
  url: URL;
  dispatcher: Dispatcher;
  headers?: Record<string, string>;
  maxResponseBytes: number;
  where: string;
}

/**
 * The deprecated HTTP+SSE transport (2024-11-05): a GET event stream whose first `endpoint`
 * event names the URL to POST messages to; every response and notification arrives on the
 * stream. The endpoint must be on the stream's origin (a server cannot redirect our messages,
 * and their credentials, elsewhere).
 */
export class SseTransport implements UpstreamTransport {
  readonly kind = 'sse' as const;
  readonly exchanges = false;
  private endpoint: string | undefined;
  private abortStream: ((reason: UpstreamError) => void) | undefined;
  private closing = false;
  private generation = 0;
  private readonly baseHeaders: Record<string, string>;
  private protocolVersion: string | undefined;

  /** @param options stream URL, dispatcher and bounds */
  constructor(private readonly options: SseTransportOptions) {
    const base: Record<string, string> = {};
    for (const [k, v] of Object.entries(options.headers ?? {})) base[k.toLowerCase()] = v;
    this.baseHeaders = base;
  }

  async start(handlers: TransportHandlers, deadline: number): Promise<void> {
    const { url, where } = this.options;
    this.closing = false;
    const generation = ++this.generation;
    // Only the stream of the latest start speaks for the connection.
    const current = () => generation === this.generation;
    this.endpoint = undefined;
    await new Promise<void>((resolve, reject) => {
      let opened = false;
      const timer = setTimeout(
        () => {
          const err = new UpstreamError('timeout', `${where}: no endpoint event on the SSE stream in time`, {
            notDelivered: true,
          });
          this.abortStream?.(err);
          reject(err);
        },
        Math.max(1, deadline - Date.now()),
      );
      timer.unref();
      runHttpExchange(
        {
          dispatcher: this.options.dispatcher,
          path: `${url.pathname}${url.search}`,
          method: 'GET',
          headers: { ...this.baseHeaders, accept: 'text/event-stream' },
          maxBytes: this.options.maxResponseBytes,
          where,
          onMessage: (m) => handlers.onMessage(m),
          onWarning: handlers.onWarning,
          onOtherEvent: (e) => {
            if (e.event !== 'endpoint' || opened) return;
            let target: URL;
            try {
              target = new URL(e.data.trim(), url);
            } catch {
              target = url;
            }
            if (target.origin !== url.origin) {
              const err = new UpstreamError(
                'protocol',
                `${where}: endpoint event names another origin (${target.origin}); refusing`,
              );
              this.abortStream?.(err);
              clearTimeout(timer);
              reject(err);
              return;
            }
            opened = true;
            this.endpoint = `${target.pathname}${target.search}`;
            clearTimeout(timer);
            resolve();
          },
        },
        (abort) => {
          this.abortStream = abort;
        },
      ).then(
        (outcome) => {
          clearTimeout(timer);
          const err =
            outcome.kind === 'error'
              ? new UpstreamError('http', `${where}: SSE stream answered HTTP ${outcome.status}`, {
                  status: outcome.status,
                  notDelivered: true,
                })
              : new UpstreamError(this.closing ? 'closed' : 'unreachable', `${where}: SSE stream ended`);
          if (!opened) reject(err);
          else if (current()) handlers.onClose(err);
        },
        (err: UpstreamError) => {
          clearTimeout(timer);
          if (!opened) reject(err);
          else if (current()) {
            handlers.onClose(this.closing ? new UpstreamError('closed', `${where}: SSE stream closed`) : err);
          }
        },
      );
    });
  }

  setProtocolVersion(version: string | undefined): void {
    this.protocolVersion = version;
  }

  async send(message: JsonRpcMessage): Promise<void> {
    const endpoint = this.endpoint;
    if (endpoint === undefined) {
      throw new UpstreamError('unreachable', `${this.options.where}: SSE stream is not open`, {
        notDelivered: true,
      });
    }
    const headers: Record<string, string> = { ...this.baseHeaders, 'content-type': 'application/json' };
    if (this.protocolVersion !== undefined) headers['mcp-protocol-version'] = this.protocolVersion;
    const outcome = await runHttpExchange({
      dispatcher: this.options.dispatcher,
      path: endpoint,
      method: 'POST',
      headers,
      body: JSON.stringify(message),
      maxBytes: 64 * 1024,
      where: this.options.where,
      ignoreBody: true,
      onMessage: () => {},
      onWarning: () => {},
    });
    if (outcome.kind === 'error') {
      throw new UpstreamError('http', `${this.options.where}: message POST answered HTTP ${outcome.status}`, {
        status: outcome.status,
        notDelivered: outcome.status === 404 || outcome.status === 429 || outcome.status === 503,
      });
    }
  }

  async close(): Promise<void> {
    this.closing = true;
    this.endpoint = undefined;
    this.abortStream?.(new UpstreamError('closed', `${this.options.where}: closed`));
    this.abortStream = undefined;
  }
}
