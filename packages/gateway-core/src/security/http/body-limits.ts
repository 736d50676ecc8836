import type { MiddlewareHandler } from 'hono';
import { SecurityError } from '../errors.js';
import { type JsonLimits, parseJsonLimited, readBodyLimited } from './json-limits.js';

/** Options of {@link bodyLimits}. */
export interface BodyLimitOptions extends JsonLimits {
  /** Answer 415 for bodies that are not JSON; default false (other bodies are only size-limited). */
  requireJson?: boolean;
}

/**
 * Hono middleware bounding request bodies: refuses a declared `Content-Length` over `maxBytes` before
 * reading, reads at most `maxBytes`, and for JSON bodies checks nesting depth and parses once. Handlers
 * then get the checked body from `c.req.json()`/`c.req.text()` (served from Hono's body cache); they must
 * not read `c.req.raw.body` themselves.
 * @throws SecurityError `PAYLOAD_TOO_LARGE` (413), `JSON_TOO_DEEP`/`INVALID_JSON` (400).
 */
export function bodyLimits(options: BodyLimitOptions = {}): MiddlewareHandler {
  const maxBytes = options.maxBytes ?? 1_048_576;
  if (!(Number.isInteger(maxBytes) && maxBytes > 0)) {
    throw new SecurityError(
      'CONFIG_INVALID',
      `bodyLimits maxBytes: expected a positive integer, got ${maxBytes}`,
      { field: 'maxBytes' },
    );
  }
  return async function bodyLimits(c, next) {
    const body = c.req.raw.body;
    if (!body || c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const declared = Number(c.req.header('content-length') ?? Number.NaN);
    if (declared > maxBytes) {
      throw new SecurityError(
        'PAYLOAD_TOO_LARGE',
        `body: ${declared} bytes declared; at most ${maxBytes} allowed`,
        {
          field: 'body',
          details: { maxBytes },
        },
      );
    }
    const bytes = await readBodyLimited(body, maxBytes);
    const type = (c.req.header('content-type') ?? '').toLowerCase();
    const isJson = type.includes('application/json') || type.includes('+json');
    const cache = c.req.bodyCache as Record<string, Promise<unknown>>;
    cache.arrayBuffer = Promise.resolve(
      bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
    );
    if (isJson && bytes.length > 0) {
      const text = bytes.toString('utf8');
      cache.text = Promise.resolve(text);
      cache.json = Promise.resolve(parseJsonLimited(text, { maxBytes, maxDepth: options.maxDepth ?? 64 }));
    } else if (options.requireJson && bytes.length > 0) {
      throw new SecurityError(
        'VALIDATION_FAILED',
        `content-type: expected application/json, got '${type || 'none'}'`,
        {
          field: 'content-type',
        },
      );
    }
    return next();
  };
}
