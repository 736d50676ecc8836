// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON-RPC messages.
type Json = any;

/**
 * Reads an SSE response body as it arrives (a GET stream, a `subscriptions/listen` stream, or a POST
 * response stream carrying server→client requests) and lets a test wait for a message.
 */
export class EventStream {
  readonly messages: Json[] = [];
  #waiters = new Set<() => void>();
  #done = false;
  readonly #ac: AbortController;

  constructor(res: Response, ac: AbortController) {
    this.#ac = ac;
    void this.#pump(res.body as ReadableStream<Uint8Array>);
  }

  /** Opens `url` with `init` and reads it as an event stream. @throws on a non-SSE answer */
  static async open(url: string, init: RequestInit): Promise<EventStream> {
    const ac = new AbortController();
    const res = await fetch(url, { ...init, signal: ac.signal });
    const type = res.headers.get('content-type') ?? '';
    if (!type.includes('text/event-stream'))
      throw new Error(
        `${init.method ?? 'GET'} ${url}: expected an event stream, got ${res.status} ${type}: ${await res.text()}`,
      );
    return new EventStream(res, ac);
  }

  /** True once the server ended the stream. */
  get done(): boolean {
    return this.#done;
  }

  /** The first message (already received or arriving within `ms`) that satisfies `match`. */
  async next(match: (m: Json) => boolean, what: string, ms = 15_000): Promise<Json> {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = this.messages.find(match);
      if (found !== undefined) return found;
      if (this.#done || Date.now() > deadline)
        throw new Error(
          `no ${what} on the stream (${this.#done ? 'stream ended' : `waited ${ms} ms`}); got ${JSON.stringify(this.messages)}`,
        );
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.max(1, deadline - Date.now()));
        this.#waiters.add(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Drops the connection. */
  close(): void {
    this.#ac.abort();
  }

  async #pump(body: ReadableStream<Uint8Array>): Promise<void> {
    const reader = body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          const data = buffer
            .slice(0, end)
            .split('\n')
            .filter((l) => l.startsWith('data:'))
            .map((l) => l.slice(5).trimStart())
            .join('\n');
          buffer = buffer.slice(end + 2);
          if (data !== '') this.messages.push(JSON.parse(data));
          end = buffer.indexOf('\n\n');
        }
        this.#wake();
      }
    } catch {
      // aborted by close(), or the server went away
    } finally {
      this.#done = true;
      this.#wake();
    }
  }

  #wake(): void {
    const waiters = [...this.#waiters];
    this.#waiters.clear();
    for (const w of waiters) w();
  }
}
