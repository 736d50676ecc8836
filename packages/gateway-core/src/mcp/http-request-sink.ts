import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { EventStore } from './event-store.js';
import { sendJson, startSse } from './http-io.js';
import type { Hub } from './hub.js';
import type { RequestSink } from './request-sink.js';
import { SseConnection } from './sse-connection.js';

/** Resumability settings of a legacy session's request stream. */
export interface ResumableStream {
  sessionId: string;
  events: EventStore;
  hub: Hub;
  /** Send the 2025-11-25 priming event (event id, empty data) when the stream opens. */
  prime: boolean;
}

/**
 * Sink of one streamable-HTTP POST request (both eras). Answers with a single JSON body unless
 * something must reach the client before the response — then it switches to an SSE stream on the
 * first such message (lazy upgrade: the hot path never pays for SSE). In legacy sessions the SSE
 * events carry ids and are stored, so the stream survives a disconnect: the request keeps running,
 * its events are stored and forwarded to whichever replica the client resumes on.
 */
export class HttpRequestSink implements RequestSink {
  readonly streaming: boolean;
  #conn: SseConnection | undefined;
  #chain: Promise<void> = Promise.resolve();
  #streamId: string | undefined;

  constructor(
    private readonly res: ServerResponse,
    acceptsSse: boolean,
    private readonly headers: Record<string, string> | undefined,
    private readonly resumable: ResumableStream | undefined,
  ) {
    this.streaming = acceptsSse;
  }

  send(frame: string): void {
    if (!this.streaming) return;
    this.#open();
    this.#emit(frame, false);
  }

  respond(frame: string, httpStatus: number): void {
    if (this.#conn === undefined) {
      sendJson(this.res, httpStatus, frame, this.headers);
      return;
    }
    this.#emit(frame, true);
  }

  #open(): void {
    if (this.#conn !== undefined) return;
    startSse(this.res, this.headers);
    this.#conn = new SseConnection(this.res);
    if (this.resumable !== undefined) {
      this.#streamId = randomBytes(9).toString('hex');
      if (this.resumable.prime) {
        const { events, sessionId } = this.resumable;
        const streamId = this.#streamId;
        const conn = this.#conn;
        this.#chain = this.#chain.then(async () => {
          const id = await events.append(sessionId, streamId, '');
          conn.writeRaw(`id: ${id}\ndata: \n\n`);
        });
      }
    }
  }

  #emit(frame: string, end: boolean): void {
    const conn = this.#conn as SseConnection;
    const resumable = this.resumable;
    if (resumable === undefined) {
      conn.write(frame);
      if (end) conn.end();
      return;
    }
    const streamId = this.#streamId as string;
    // Serialise: ids come from the (possibly remote) store and events must keep their order.
    this.#chain = this.#chain
      .then(async () => {
        const id = await resumable.events.append(resumable.sessionId, streamId, frame, end);
        if (!conn.closed) {
          conn.write(frame, id);
          if (end) conn.end();
        } else {
          await resumable.hub.forwardStreamEvent(resumable.sessionId, streamId, id, frame, end);
        }
      })
      .catch(() => {
        // Store unreachable: deliver unresumably rather than lose the message.
        if (!conn.closed) {
          conn.write(frame);
          if (end) conn.end();
        }
      });
  }
}
