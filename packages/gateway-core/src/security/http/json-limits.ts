import { SecurityError } from '../errors.js';

/**
 * Throws when JSON text nests deeper than `maxDepth` (objects and arrays), scanning the text once
 * without parsing it, so a hostile `[[[[…]]]]` is refused before `JSON.parse` (or any recursive walk over
 * the result) can exhaust the stack.
 * @throws SecurityError `JSON_TOO_DEEP` (400) naming the limit and where it was crossed.
 */
export function checkJsonDepth(text: string, maxDepth: number, field = 'body'): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 0x5c)
        i++; // backslash: skip the escaped character
      else if (ch === 0x22) inString = false;
      continue;
    }
    if (ch === 0x22) inString = true;
    else if (ch === 0x7b || ch === 0x5b) {
      if (++depth > maxDepth) {
        throw new SecurityError(
          'JSON_TOO_DEEP',
          `${field}: JSON nesting deeper than ${maxDepth} levels (at offset ${i})`,
          {
            field,
            details: { maxDepth, offset: i },
          },
        );
      }
    } else if (ch === 0x7d || ch === 0x5d) depth--;
  }
}

/** Limits of {@link parseJsonLimited}. */
export interface JsonLimits {
  /** Largest document in bytes; default 1 MiB. */
  maxBytes?: number;
  /** Deepest nesting; default 64 (ContextForge MAX_JSON_DEPTH is 10–30 for API objects; MCP payloads nest more). */
  maxDepth?: number;
}

/**
 * Parses JSON after size and depth checks.
 * @throws SecurityError `PAYLOAD_TOO_LARGE` (413), `JSON_TOO_DEEP` (400) or `INVALID_JSON` (400), naming `field`.
 */
export function parseJsonLimited(
  input: string | Uint8Array,
  limits: JsonLimits = {},
  field = 'body',
): unknown {
  const maxBytes = limits.maxBytes ?? 1_048_576;
  const size = typeof input === 'string' ? Buffer.byteLength(input) : input.byteLength;
  if (size > maxBytes) {
    throw new SecurityError('PAYLOAD_TOO_LARGE', `${field}: ${size} bytes; at most ${maxBytes} allowed`, {
      field,
      details: { maxBytes },
    });
  }
  const text =
    typeof input === 'string'
      ? input
      : Buffer.from(input.buffer, input.byteOffset, input.byteLength).toString('utf8');
  checkJsonDepth(text, limits.maxDepth ?? 64, field);
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new SecurityError('INVALID_JSON', `${field}: invalid JSON (${(cause as Error).message})`, {
      field,
      cause,
    });
  }
}

/**
 * Reads a body stream (Node `IncomingMessage`, any async iterable of bytes, or a web `ReadableStream`),
 * stopping as soon as it exceeds `maxBytes` (a declared `Content-Length` above the limit should be refused
 * by the caller before reading).
 * @throws SecurityError `PAYLOAD_TOO_LARGE` (413).
 */
export async function readBodyLimited(
  source: AsyncIterable<Uint8Array | string> | ReadableStream<Uint8Array>,
  maxBytes: number,
  field = 'body',
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  const iterable = isWebStream(source) ? webIterable(source) : source;
  for await (const chunk of iterable) {
    const buf =
      typeof chunk === 'string'
        ? Buffer.from(chunk)
        : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    total += buf.length;
    if (total > maxBytes) {
      if (isWebStream(source)) await source.cancel().catch(() => {});
      throw new SecurityError('PAYLOAD_TOO_LARGE', `${field}: more than ${maxBytes} bytes`, {
        field,
        details: { maxBytes },
      });
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

function isWebStream(s: unknown): s is ReadableStream<Uint8Array> {
  return typeof (s as ReadableStream).getReader === 'function';
}

async function* webIterable(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}
