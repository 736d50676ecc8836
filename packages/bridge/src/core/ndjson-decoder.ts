/** Callbacks of {@link NdjsonDecoder}. */
export interface NdjsonDecoderHandlers {
  /** A complete, non-empty line (without its newline). */
  onLine(line: string): void;
  /**
   * A line longer than the cap: its bytes were discarded; `prefix` holds its first bytes so that the
   * caller can still find the JSON-RPC id and answer it.
   */
  onOversize(prefix: string, bytes: number): void;
}

const PREFIX_BYTES = 512;

/**
 * Streaming newline-delimited JSON framing (MCP stdio transport). Works on raw Buffers and joins a
 * line's chunks once, so long lines cost O(n), and never holds more than `maxLineBytes` of one line:
 * beyond that the rest of the line is counted and dropped (bounded memory against a runaway peer).
 */
export class NdjsonDecoder {
  private parts: Buffer[] = [];
  private size = 0;
  private discarding = false;
  private prefix = '';

  /**
   * @param maxLineBytes largest accepted line in bytes
   * @param handlers receives lines and oversize reports
   */
  constructor(
    private readonly maxLineBytes: number,
    private readonly handlers: NdjsonDecoderHandlers,
  ) {}

  /** Feeds a chunk read from the stream. */
  push(chunk: Buffer): void {
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf(10, start);
      if (newline === -1) {
        if (start < chunk.length) this.append(chunk.subarray(start));
        return;
      }
      if (newline > start) this.append(chunk.subarray(start, newline));
      this.flushLine();
      start = newline + 1;
    }
  }

  /** Emits a final line that had no trailing newline (end of stream). */
  end(): void {
    if (this.size > 0 || this.discarding) this.flushLine();
  }

  private append(bytes: Buffer): void {
    this.size += bytes.length;
    if (this.discarding) return;
    this.parts.push(bytes);
    if (this.size > this.maxLineBytes) {
      this.prefix = Buffer.concat(this.parts).subarray(0, PREFIX_BYTES).toString('utf8');
      this.parts = [];
      this.discarding = true;
    }
  }

  private flushLine(): void {
    if (this.discarding) {
      const { prefix, size } = this;
      this.reset();
      this.handlers.onOversize(prefix, size);
      return;
    }
    const line = (this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts))
      .toString('utf8')
      .trim();
    this.reset();
    if (line !== '') this.handlers.onLine(line);
  }

  private reset(): void {
    this.parts = [];
    this.size = 0;
    this.discarding = false;
    this.prefix = '';
  }
}

/** Finds the `"id"` of a truncated JSON-RPC message (best effort, used to answer oversize messages). */
export function sniffId(prefix: string): string | number | undefined {
  const match = /"id"\s*:\s*(-?\d+(?:\.\d+)?|"(?:[^"\\]|\\.)*")/.exec(prefix);
  if (!match) return undefined;
  try {
    return JSON.parse(match[1]!) as string | number;
  } catch {
    return undefined;
  }
}
