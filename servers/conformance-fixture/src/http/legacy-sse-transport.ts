import { randomUUID } from 'node:crypto';
import type { JSONRPCMessage, Transport } from '@modelcontextprotocol/server';

const encoder = new TextEncoder();

/**
 * The server side of the HTTP+SSE transport of protocol 2024-11-05 (the "legacy SSE" transport the
 * v2 SDK no longer serves): the client opens `GET /sse`, receives an `endpoint` event naming
 * `<messagePath>?sessionId=<id>`, POSTs each JSON-RPC message there, and reads every server message
 * as an SSE `message` event. One instance is one connection; it closes when the client goes away.
 */
export class LegacySseTransport implements Transport {
  /** The id the client puts in the `sessionId` query parameter of its POSTs. */
  readonly sessionId = randomUUID();
  /** The SSE response body; hand it to the HTTP layer. */
  readonly stream: ReadableStream<Uint8Array>;
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  #controller!: ReadableStreamDefaultController<Uint8Array>;
  #keepAlive: NodeJS.Timeout | undefined;
  #closed = false;

  /**
   * @param messagePath path the client POSTs messages to (announced in the `endpoint` event)
   * @param keepAliveMs interval of SSE comment frames that keep proxies from closing an idle stream
   */
  constructor(messagePath: string, keepAliveMs = 15_000) {
    this.stream = new ReadableStream<Uint8Array>({
      start: (controller) => {
        this.#controller = controller;
        this.#write(`event: endpoint\ndata: ${messagePath}?sessionId=${this.sessionId}\n\n`);
      },
      // The client disconnected.
      cancel: () => void this.close(),
    });
    if (keepAliveMs > 0) {
      this.#keepAlive = setInterval(() => this.#write(': keep-alive\n\n'), keepAliveMs);
      this.#keepAlive.unref();
    }
  }

  async start(): Promise<void> {}

  /** Writes one server message as an SSE `message` event. */
  async send(message: JSONRPCMessage): Promise<void> {
    if (this.#closed) throw new Error(`SSE session ${this.sessionId} is closed`);
    this.#write(`event: message\ndata: ${JSON.stringify(message)}\n\n`);
  }

  /** Delivers one message the client POSTed to the message endpoint. */
  receive(message: JSONRPCMessage): void {
    this.onmessage?.(message);
  }

  /** Ends the stream and reports the close once. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#keepAlive);
    try {
      this.#controller.close();
    } catch {
      // Already cancelled by the client.
    }
    this.onclose?.();
  }

  #write(text: string): void {
    if (this.#closed) return;
    try {
      this.#controller.enqueue(encoder.encode(text));
    } catch (error) {
      this.onerror?.(error as Error);
      void this.close();
    }
  }
}
