import WebSocket from 'ws';
import { isJsonRpcMessage, type JsonRpcMessage, preview } from '../json-rpc.js';
import { UpstreamError } from '../upstream-error.js';
import type { TransportHandlers, UpstreamTransport } from './transport.js';

/** Options of a {@link WebSocketTransport}. */
export interface WebSocketTransportOptions {
  url: URL;
  headers?: Record<string, string>;
  /** Largest accepted message. */
  maxMessageBytes: number;
  where: string;
  /** Ping interval; a connection that misses a pong by the next ping is dropped (default 30 s, 0 disables). */
  pingIntervalMs?: number;
}

/**
 * WebSocket (subprotocol `mcp`): one JSON-RPC message per text frame, over the `ws` package
 * (Node 20 has no WebSocket client). Pings detect dead peers; the connection above reconnects.
 */
export class WebSocketTransport implements UpstreamTransport {
  readonly kind = 'websocket' as const;
  readonly exchanges = false;
  private ws: WebSocket | undefined;
  private closing = false;
  private pinger: NodeJS.Timeout | undefined;

  /** @param options endpoint and bounds */
  constructor(private readonly options: WebSocketTransportOptions) {}

  async start(handlers: TransportHandlers, deadline: number): Promise<void> {
    const where = this.options.where;
    this.closing = false;
    const ws = new WebSocket(this.options.url, ['mcp'], {
      headers: this.options.headers,
      handshakeTimeout: Math.max(1, deadline - Date.now()),
      maxPayload: this.options.maxMessageBytes,
      perMessageDeflate: false,
    });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('unexpected-response', (_req, res) => {
        const status = res.statusCode ?? 0;
        res.resume();
        ws.terminate();
        reject(
          new UpstreamError('http', `${where}: WebSocket upgrade refused with HTTP ${status}`, {
            status,
            notDelivered: true,
          }),
        );
      });
      ws.once('error', (err: Error & { code?: string }) =>
        reject(
          new UpstreamError('unreachable', `${where}: cannot connect (${err.code ?? err.message})`, {
            cause: err,
            notDelivered: true,
          }),
        ),
      );
    });
    this.ws = ws;
    ws.on('error', () => {}); // reported through 'close'
    ws.on('message', (data, isBinary) => {
      const text = isBinary ? Buffer.from(data as Buffer).toString('utf8') : data.toString();
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
      if (!isJsonRpcMessage(parsed)) {
        handlers.onWarning(`${where}: ignoring WebSocket message that is not JSON-RPC: ${preview(text)}`);
        return;
      }
      handlers.onMessage(parsed);
    });
    let alive = true;
    ws.on('pong', () => {
      alive = true;
    });
    const interval = this.options.pingIntervalMs ?? 30_000;
    if (interval > 0) {
      this.pinger = setInterval(() => {
        if (!alive) return ws.terminate();
        alive = false;
        ws.ping();
      }, interval);
      this.pinger.unref();
    }
    ws.on('close', (code, reason) => {
      // Only the current socket speaks for the connection; a replaced one just goes away.
      if (this.ws !== ws) return;
      clearInterval(this.pinger);
      this.ws = undefined;
      handlers.onClose(
        new UpstreamError(
          this.closing ? 'closed' : 'unreachable',
          `${where}: WebSocket closed (${code}${reason.length ? ` ${reason.toString()}` : ''})`,
        ),
      );
    });
  }

  setProtocolVersion(): void {}

  send(message: JsonRpcMessage): Promise<void> {
    const ws = this.ws;
    if (ws === undefined || ws.readyState !== WebSocket.OPEN) {
      return Promise.reject(
        new UpstreamError('unreachable', `${this.options.where}: WebSocket is not open`, {
          notDelivered: true,
        }),
      );
    }
    return new Promise((resolve, reject) =>
      ws.send(JSON.stringify(message), (err) =>
        err
          ? reject(
              new UpstreamError(
                'unreachable',
                `${this.options.where}: WebSocket send failed (${err.message})`,
                { cause: err },
              ),
            )
          : resolve(),
      ),
    );
  }

  async close(): Promise<void> {
    const ws = this.ws;
    if (ws === undefined) return;
    this.closing = true;
    clearInterval(this.pinger);
    const closed = new Promise<void>((r) => ws.once('close', () => r()));
    ws.close(1000, 'client closing');
    const timer = setTimeout(() => ws.terminate(), 1000);
    await closed;
    clearTimeout(timer);
  }
}
