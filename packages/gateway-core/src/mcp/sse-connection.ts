import type { ServerResponse } from 'node:http';
import { sseEvent } from './http-io.js';

/**
 * One open SSE response on this replica. Writes are dropped once the client is gone; a slow client
 * whose socket buffer exceeds `maxBufferedBytes` is disconnected instead of buffering without
 * bound (it can resume with Last-Event-ID where the stream is resumable).
 */
export class SseConnection {
  #closed = false;
  readonly #onClose: Array<() => void> = [];

  constructor(
    readonly res: ServerResponse,
    private readonly maxBufferedBytes = 8 * 1024 * 1024,
  ) {
    res.on('close', () => this.#markClosed());
  }

  /** True after the client disconnected or `end()` ran. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Writes one message event. */
  write(data: string, id?: string): void {
    if (this.#closed) return;
    this.res.write(sseEvent(data, id));
    if (this.res.writableLength > this.maxBufferedBytes) this.res.destroy();
  }

  /** Writes raw SSE text (priming events, comments). */
  writeRaw(text: string): void {
    if (!this.#closed) this.res.write(text);
  }

  /** Ends the response. */
  end(): void {
    if (this.#closed) return;
    this.res.end();
    this.#markClosed();
  }

  /** Runs `fn` once when the connection closes (immediately if it already has). */
  onClose(fn: () => void): void {
    if (this.#closed) fn();
    else this.#onClose.push(fn);
  }

  #markClosed(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const fn of this.#onClose.splice(0)) fn();
  }
}
