import type { ServerResponse } from 'node:http';
import type { JsonRpcMessage, JsonRpcResponse } from '../core/json-rpc.js';
import { sendJson } from './http-io.js';
import { SseStream } from './sse-stream.js';

/** Where the answer to one HTTP-borne request goes: a JSON body, or an SSE stream that ends with it. */
export interface ResponseSink {
  /** True when this sink can carry notifications and server requests before the response. */
  readonly streaming: boolean;
  /** True once the client went away or the response was sent. */
  readonly done: boolean;
  /** Sends a related notification or server request (SSE only). */
  event(message: JsonRpcMessage): void;
  /** Sends the response and ends. */
  complete(response: JsonRpcResponse): void;
  /** Called when the client disconnects before the response. */
  onabort?: () => void;
}

/** Picks the HTTP status for a response (MCP 2026-07-28 maps some errors to 4xx); 200 otherwise. */
export type StatusOf = (response: JsonRpcResponse) => number;

/** Answers with `application/json` once the response arrives. */
export class JsonSink implements ResponseSink {
  readonly streaming = false;
  private finished = false;
  onabort?: () => void;

  constructor(
    private readonly res: ServerResponse,
    private readonly headers: Record<string, string>,
    private readonly statusOf?: StatusOf,
  ) {
    res.on('close', () => {
      if (this.finished) return;
      this.finished = true;
      this.onabort?.();
    });
  }

  get done(): boolean {
    return this.finished;
  }

  event(): void {}

  complete(response: JsonRpcResponse): void {
    if (this.finished) return;
    this.finished = true;
    sendJson(this.res, this.statusOf?.(response) ?? 200, response, this.headers);
  }
}

/** Streams related messages as SSE and ends the stream with the response. */
export class SseSink implements ResponseSink {
  readonly streaming = true;
  private readonly stream: SseStream;
  private finished = false;
  private started = false;
  onabort?: () => void;

  constructor(
    private readonly res: ServerResponse,
    private readonly headers: Record<string, string>,
    keepAliveMs: number,
    private readonly statusOf?: StatusOf,
  ) {
    this.stream = new SseStream(res, { headers, keepAliveMs });
    this.stream.onclose = () => {
      if (this.finished) return;
      this.finished = true;
      this.onabort?.();
    };
  }

  get done(): boolean {
    return this.finished;
  }

  event(message: JsonRpcMessage): void {
    if (this.finished) return;
    this.started = true;
    this.stream.message(message);
  }

  complete(response: JsonRpcResponse): void {
    if (this.finished) return;
    this.finished = true;
    const status = this.statusOf?.(response) ?? 200;
    if (!this.started && status !== 200) {
      // Nothing streamed yet: an error that maps to an HTTP status is answered as plain JSON.
      sendJson(this.res, status, response, this.headers);
      return;
    }
    this.stream.message(response);
    this.stream.end();
  }
}
