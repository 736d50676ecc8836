import type { ServerResponse } from 'node:http';
import type { JsonRpcMessage } from '../core/json-rpc.js';

/** Options of {@link SseStream}. */
export interface SseStreamOptions {
  /** Extra response headers (session id, CORS, user headers). */
  headers?: Record<string, string>;
  /** Interval of `: keepalive` comments in ms; 0 disables. */
  keepAliveMs?: number;
  /** Bytes the client may leave unread before it is dropped as too slow (default 8 MiB). */
  maxBufferedBytes?: number;
}

/**
 * A server-sent events response: `event: message` frames carrying JSON-RPC messages, keep-alive
 * comments, and a bound on unread bytes (a client that stops reading is disconnected instead of
 * growing the bridge's memory without limit).
 */
export class SseStream {
  private timer?: NodeJS.Timeout;
  private ended = false;
  /** Called once when the stream ends (client went away or {@link end} was called). */
  onclose?: () => void;

  /**
   * @param res the HTTP response to stream on
   * @param options headers, keep-alive and buffer bound
   */
  constructor(
    private readonly res: ServerResponse,
    private readonly options: SseStreamOptions = {},
  ) {
    res.on('close', () => this.finish());
  }

  /** True once ended. */
  get closed(): boolean {
    return this.ended;
  }

  /** Sends the response head (idempotent) and starts keep-alives. */
  open(): void {
    if (this.res.headersSent) return;
    this.res.writeHead(200, {
      ...this.options.headers,
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    this.res.flushHeaders();
    const every = this.options.keepAliveMs ?? 0;
    if (every > 0) {
      this.timer = setInterval(() => this.write(': keepalive\n\n'), every);
      this.timer.unref();
    }
  }

  /** Sends a named event with raw string data. */
  event(name: string, data: string): void {
    this.open();
    this.write(`event: ${name}\ndata: ${data}\n\n`);
  }

  /** Sends a JSON-RPC message as `event: message`. */
  message(message: JsonRpcMessage): void {
    this.event('message', JSON.stringify(message));
  }

  /** Ends the stream. */
  end(): void {
    if (this.ended) return;
    this.res.end();
    this.finish();
  }

  private write(chunk: string): void {
    if (this.ended) return;
    this.res.write(chunk);
    if (this.res.writableLength > (this.options.maxBufferedBytes ?? 8 * 1024 * 1024)) {
      // The client stopped reading: drop it rather than buffer without bound.
      this.res.destroy();
      this.finish();
    }
  }

  private finish(): void {
    if (this.ended) return;
    this.ended = true;
    clearInterval(this.timer);
    this.onclose?.();
  }
}
