import WebSocket from 'ws';
import { BridgeError } from '../core/bridge-error.js';
import type { JsonRpcMessage } from '../core/json-rpc.js';
import type { Logger } from '../core/logger.js';
import type { CloseInfo, MessageTransport } from '../core/message-transport.js';
import { parseMessages } from './parse-messages.js';

/** Options of {@link WebSocketClientTransport}. */
export interface WebSocketClientOptions {
  /** ws:// or wss:// URL. */
  url: string;
  headers?: Record<string, string>;
  /** Ping interval in ms; a peer that misses two pongs is dropped (default 30 000; 0 = off). */
  keepAliveMs?: number;
  /** Largest frame accepted, bytes (default 4 MiB). */
  maxMessageBytes?: number;
  /** WebSocket subprotocol (default `mcp`; empty string for none). */
  protocol?: string;
  logger?: Logger;
}

/** MCP over a WebSocket client connection (`ws` package; Node 20 has no global WebSocket). */
export class WebSocketClientTransport implements MessageTransport {
  onmessage?: (message: JsonRpcMessage) => void;
  onclose?: (info?: CloseInfo) => void;
  onerror?: (error: Error) => void;
  private ws?: WebSocket;
  private closing = false;
  private timer?: NodeJS.Timeout;

  /** @param options URL, headers, keep-alive */
  constructor(private readonly options: WebSocketClientOptions) {}

  /** Connects; rejects with CONNECT_FAILED (status and body of a refused upgrade included). */
  start(): Promise<void> {
    const protocol = this.options.protocol ?? 'mcp';
    const ws = new WebSocket(this.options.url, protocol ? [protocol] : [], {
      headers: this.options.headers,
      maxPayload: this.options.maxMessageBytes ?? 4 * 1024 * 1024,
    });
    this.ws = ws;
    return new Promise((resolve, reject) => {
      let opened = false;
      ws.on('unexpected-response', (_req, res) => {
        let body = '';
        res.on('data', (c: Buffer) => {
          body += c.toString();
        });
        res.on('end', () => {
          const error = new BridgeError(
            'CONNECT_FAILED',
            `${this.options.url} refused the WebSocket upgrade: HTTP ${res.statusCode} ${body.slice(0, 200)}`,
          );
          reject(error);
          ws.terminate();
          this.finish(`HTTP ${res.statusCode}`, true);
        });
      });
      ws.on('open', () => {
        opened = true;
        this.keepAlive();
        resolve();
      });
      ws.on('message', (data) => {
        const parsed = parseMessages(data.toString());
        if (typeof parsed === 'string') this.onerror?.(new Error(`peer sent an invalid frame: ${parsed}`));
        else for (const m of parsed) this.onmessage?.(m);
      });
      ws.on('error', (error) => {
        if (!opened)
          reject(
            new BridgeError(
              'CONNECT_FAILED',
              `cannot connect to ${this.options.url}: ${error.message}`,
              error,
            ),
          );
        else this.options.logger?.debug('websocket error', { error: error.message });
      });
      ws.on('close', (code, reason) =>
        this.finish(`closed (${code}${reason.length ? ` ${reason.toString()}` : ''})`, !this.closing),
      );
    });
  }

  send(message: JsonRpcMessage): Promise<void> {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN)
      return Promise.reject(new BridgeError('CLOSED', 'WebSocket is not open'));
    return new Promise((resolve, reject) =>
      ws.send(JSON.stringify(message), (error) => (error ? reject(error) : resolve())),
    );
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    const ws = this.ws;
    if (!ws || ws.readyState === WebSocket.CLOSED) return this.finish('closed', false);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        ws.terminate();
        resolve();
      }, 1000);
      ws.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      ws.close(1000, 'closing');
    });
  }

  private finished = false;
  private finish(reason: string, unexpected: boolean): void {
    clearInterval(this.timer);
    if (this.finished) return;
    this.finished = true;
    this.onclose?.({ reason, unexpected });
  }

  private keepAlive(): void {
    const every = this.options.keepAliveMs ?? 30_000;
    if (every <= 0 || !this.ws) return;
    const ws = this.ws;
    let alive = true;
    ws.on('pong', () => {
      alive = true;
    });
    this.timer = setInterval(() => {
      if (!alive) {
        ws.terminate();
        return;
      }
      alive = false;
      ws.ping();
    }, every);
    this.timer.unref();
  }
}
