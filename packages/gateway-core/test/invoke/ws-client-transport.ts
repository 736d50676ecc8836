import type { JSONRPCMessage, Transport } from '@modelcontextprotocol/client';
import WebSocket from 'ws';

/**
 * An SDK v2 client {@link Transport} over a WebSocket (one JSON-RPC message per text frame, subprotocol
 * `mcp`): the SDK ships no WebSocket client transport for Node 20 (no global WebSocket), and the gateway
 * serves `/ws` and `/servers/{id}/ws`.
 */
export class WsClientTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: <T extends JSONRPCMessage>(message: T) => void;
  #ws: WebSocket | undefined;

  constructor(
    private readonly url: string,
    private readonly headers: Record<string, string>,
  ) {}

  start(): Promise<void> {
    const ws = new WebSocket(this.url, 'mcp', { headers: this.headers });
    this.#ws = ws;
    ws.on('message', (data) => {
      try {
        this.onmessage?.(JSON.parse(data.toString()) as JSONRPCMessage);
      } catch (error) {
        this.onerror?.(error as Error);
      }
    });
    ws.on('close', () => this.onclose?.());
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('unexpected-response', (_req, res) =>
        reject(new Error(`WebSocket upgrade of ${this.url} refused with HTTP ${res.statusCode}`)),
      );
      ws.once('error', reject);
    });
  }

  async send(message: JSONRPCMessage): Promise<void> {
    this.#ws?.send(JSON.stringify(message));
  }

  async close(): Promise<void> {
    const ws = this.#ws;
    if (ws === undefined || ws.readyState === ws.CLOSED) return;
    await new Promise<void>((resolve) => {
      ws.once('close', () => resolve());
      ws.close();
    });
  }
}
