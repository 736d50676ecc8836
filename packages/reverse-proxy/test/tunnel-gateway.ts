import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseTunnelMessage, type TunnelMessage } from '@contextforge/bridge';
import { type WebSocket, WebSocketServer } from 'ws';

/**
 * A minimal gateway side of the reverse tunnel for tests: accepts upgrades on /reverse-proxy/ws
 * with the right bearer token, validates every frame with the bridge's schemas, records
 * registrations and heartbeats, and relays JSON-RPC requests to the connected proxy.
 */
export class TunnelGateway {
  readonly registrations: TunnelMessage[] = [];
  readonly heartbeats: TunnelMessage[] = [];
  readonly invalid: string[] = [];
  readonly received: TunnelMessage[] = [];
  private server?: Server;
  private wss?: WebSocketServer;
  private socket?: WebSocket;
  private nextId = 1;
  private readonly waiting = new Map<number, (message: Record<string, unknown>) => void>();
  private registeredWaiters: Array<() => void> = [];

  constructor(private readonly token: string) {}

  /** Listens (on `port`, or a free one); returns the gateway base URL. */
  async start(port = 0): Promise<string> {
    this.server = createServer((_req, res) => res.writeHead(404).end());
    this.wss = new WebSocketServer({ noServer: true });
    this.server.on('upgrade', (req, socket, head) => {
      if (req.url !== '/reverse-proxy/ws' || req.headers.authorization !== `Bearer ${this.token}`) {
        socket.end('HTTP/1.1 401 Unauthorized\r\ncontent-length: 0\r\nconnection: close\r\n\r\n');
        return;
      }
      this.wss!.handleUpgrade(req, socket, head, (ws) => this.connected(ws));
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Sends a JSON-RPC request through the tunnel and waits for its response payload. */
  request(method: string, params?: Record<string, unknown>): Promise<Record<string, unknown>> {
    const id = this.nextId++;
    const registration = this.registrations.at(-1);
    this.socket!.send(
      JSON.stringify({
        type: 'request',
        sessionId: registration?.sessionId ?? 'none',
        payload: { jsonrpc: '2.0', id, method, params },
      }),
    );
    return new Promise((resolve) => this.waiting.set(id, resolve));
  }

  /** Sends a raw frame (for invalid-input tests). */
  sendRaw(frame: string): void {
    this.socket!.send(frame);
  }

  /** Resolves once `count` registrations have been seen. */
  async registered(count: number): Promise<void> {
    while (this.registrations.length < count) await new Promise<void>((r) => this.registeredWaiters.push(r));
  }

  /** Closes every connection and stops listening (the "peer restarts" half). */
  async stop(): Promise<void> {
    for (const ws of this.wss?.clients ?? []) ws.terminate();
    this.wss?.close();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private connected(ws: WebSocket): void {
    this.socket = ws;
    ws.on('message', (data) => {
      const message = parseTunnelMessage(data.toString());
      if (typeof message === 'string') {
        this.invalid.push(message);
        return;
      }
      this.received.push(message);
      if (message.type === 'register') {
        this.registrations.push(message);
        ws.send(JSON.stringify({ type: 'registered', sessionId: message.sessionId, payload: { ok: true } }));
        for (const w of this.registeredWaiters.splice(0)) w();
      } else if (message.type === 'heartbeat') this.heartbeats.push(message);
      else if (message.type === 'response') {
        const id = message.payload.id as number;
        this.waiting.get(id)?.(message.payload);
        this.waiting.delete(id);
      }
    });
  }
}
