import { StringDecoder } from 'node:string_decoder';

/** One server-sent event. */
export interface SseEvent {
  /** `event:` field (default `message`). */
  event: string;
  data: string;
  /** `id:` field, when the event had one. */
  id?: string;
  /** `retry:` field in ms, when present. */
  retry?: number;
}

/**
 * Incremental `text/event-stream` parser (WHATWG HTML §9.2.6): feed it byte chunks, it calls
 * `onEvent` per complete event. Multi-byte characters split across chunks are handled by the
 * decoder; one event larger than `maxEventBytes` throws (a bound against a runaway upstream).
 */
export class SseParser {
  private readonly decoder = new StringDecoder('utf8');
  private buffer = '';
  private data: string[] = [];
  private event = '';
  private id: string | undefined;
  private retry: number | undefined;
  private size = 0;

  /**
   * @param onEvent called for each dispatched event
   * @param maxEventBytes upper bound on one event's size
   */
  constructor(
    private readonly onEvent: (e: SseEvent) => void,
    private readonly maxEventBytes = 32 * 1024 * 1024,
  ) {}

  /** Feeds a chunk. @throws Error when an event exceeds `maxEventBytes` */
  push(chunk: Buffer | string): void {
    const text = typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    this.buffer += text;
    let start = 0;
    for (;;) {
      const nl = this.nextLineEnd(start);
      if (nl === -1) break;
      const line = this.buffer.slice(start, nl);
      start = nl + (this.buffer[nl] === '\r' && this.buffer[nl + 1] === '\n' ? 2 : 1);
      this.line(line);
    }
    this.buffer = start === 0 ? this.buffer : this.buffer.slice(start);
    // Bound what is held for the event being assembled: its data lines plus the unterminated tail.
    if (this.size + this.buffer.length > this.maxEventBytes) {
      throw new Error(`SSE event exceeds ${this.maxEventBytes} bytes`);
    }
  }

  private nextLineEnd(from: number): number {
    const n = this.buffer.indexOf('\n', from);
    const r = this.buffer.indexOf('\r', from);
    if (r === -1) return n;
    if (n === -1) return r === this.buffer.length - 1 ? -1 : r; // a lone trailing \r may be the first half of \r\n
    return Math.min(n, r);
  }

  private line(line: string): void {
    if (line === '') {
      this.dispatch();
      return;
    }
    if (line.charCodeAt(0) === 58 /* ':' comment / keep-alive */) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    switch (field) {
      case 'data':
        this.data.push(value);
        this.size += value.length + 1;
        break;
      case 'event':
        this.event = value;
        break;
      case 'id':
        if (!value.includes('\0')) this.id = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.retry = Number(value);
        break;
    }
  }

  private dispatch(): void {
    const hasData = this.data.length > 0;
    const e: SseEvent = { event: this.event || 'message', data: this.data.join('\n') };
    if (this.id !== undefined) e.id = this.id;
    if (this.retry !== undefined) e.retry = this.retry;
    this.data = [];
    this.event = '';
    this.retry = undefined;
    // Consumers keep the last id themselves (resumption); per event we report the id it carried.
    this.id = undefined;
    this.size = 0;
    // An event with only an id (a "priming" event) still carries a resumption point.
    if (hasData || e.id !== undefined || e.retry !== undefined) this.onEvent(e);
  }
}
