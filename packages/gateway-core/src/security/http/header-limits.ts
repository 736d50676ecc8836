import type { MiddlewareHandler } from 'hono';
import { SecurityError } from '../errors.js';

/** Request header limits (ContextForge defaults: 16 KiB total, 8 KiB per field, 100 headers). */
export interface HeaderLimits {
  maxTotalBytes?: number;
  maxFieldBytes?: number;
  maxCount?: number;
}

/**
 * Checks headers against the limits; usable by the raw MCP handler with Node's `req.rawHeaders` pairs.
 * (Node's own `maxHeaderSize` should be set to at least `maxTotalBytes` so this check, not a socket
 * reset, answers.)
 * @throws SecurityError `HEADERS_TOO_LARGE` (431, RFC 6585) naming the offending header.
 */
export function checkHeaderLimits(
  headers: Iterable<readonly [string, string]>,
  limits: HeaderLimits = {},
): void {
  const maxTotal = limits.maxTotalBytes ?? 16_384;
  const maxField = limits.maxFieldBytes ?? 8_192;
  const maxCount = limits.maxCount ?? 100;
  let total = 0;
  let count = 0;
  for (const [name, value] of headers) {
    count++;
    const size = Buffer.byteLength(name) + Buffer.byteLength(value) + 4; // ": " and CRLF
    if (size > maxField) {
      throw new SecurityError(
        'HEADERS_TOO_LARGE',
        `header '${name.slice(0, 64)}' is ${size} bytes; at most ${maxField} allowed`,
        {
          field: name.slice(0, 64),
          details: { maxFieldBytes: maxField },
        },
      );
    }
    total += size;
    if (total > maxTotal) {
      throw new SecurityError('HEADERS_TOO_LARGE', `request headers exceed ${maxTotal} bytes`, {
        details: { maxTotalBytes: maxTotal },
      });
    }
    if (count > maxCount) {
      throw new SecurityError('HEADERS_TOO_LARGE', `more than ${maxCount} request headers`, {
        details: { maxCount },
      });
    }
  }
}

/** Pairs from Node's flat `rawHeaders` array (every repeated header counted). */
export function* rawHeaderPairs(raw: readonly string[]): Generator<readonly [string, string]> {
  for (let i = 0; i + 1 < raw.length; i += 2) yield [raw[i]!, raw[i + 1]!];
}

/**
 * Hono middleware enforcing {@link HeaderLimits}. With `@hono/node-server` it counts Node's raw headers
 * (every repetition); otherwise the Fetch `Headers` (repetitions folded).
 * @throws SecurityError `CONFIG_INVALID` at construction for non-positive limits.
 */
export function headerLimits(limits: HeaderLimits = {}): MiddlewareHandler {
  for (const [k, v] of Object.entries(limits)) {
    if (v !== undefined && !(Number.isInteger(v) && v > 0)) {
      throw new SecurityError('CONFIG_INVALID', `headerLimits ${k}: expected a positive integer, got ${v}`, {
        field: k,
      });
    }
  }
  return async function headerLimits(c, next) {
    const incoming = (c.env as { incoming?: { rawHeaders?: string[] } } | undefined)?.incoming;
    checkHeaderLimits(
      incoming?.rawHeaders ? rawHeaderPairs(incoming.rawHeaders) : c.req.raw.headers.entries(),
      limits,
    );
    return next();
  };
}
