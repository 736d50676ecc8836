import type { IncomingMessage, ServerResponse } from 'node:http';
import { McpError } from './errors.js';
import { ErrorCode } from './protocol.js';

/**
 * Reads a request body as UTF-8, refusing more than `limit` bytes.
 *
 * @throws McpError with httpStatus 413 when the body (declared or streamed) exceeds the limit,
 *   400 when the client aborts mid-body.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    return Promise.reject(tooLarge(limit));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        done = true;
        chunks.length = 0;
        req.resume();
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (done) return;
      done = true;
      resolve(
        chunks.length === 1 ? (chunks[0] as Buffer).toString('utf8') : Buffer.concat(chunks).toString('utf8'),
      );
    });
    req.on('error', (err) => {
      if (done) return;
      done = true;
      reject(
        new McpError(ErrorCode.ParseError, `request body could not be read: ${err.message}`, undefined, {
          httpStatus: 400,
        }),
      );
    });
  });
}

function tooLarge(limit: number): McpError {
  return new McpError(
    ErrorCode.InvalidRequest,
    `Request body exceeds the ${limit}-byte limit`,
    { limit },
    { httpStatus: 413 },
  );
}

/** Writes a complete JSON response. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: string,
  headers?: Record<string, string>,
): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const h: Record<string, string | number> = {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
  };
  if (headers !== undefined) Object.assign(h, headers);
  res.writeHead(status, h);
  res.end(body);
}

/** Writes an empty response. */
export function sendEmpty(res: ServerResponse, status: number, headers?: Record<string, string>): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(status, headers);
  res.end();
}

/** Opens an SSE response (no buffering by proxies: 2026-07-28 streamable-http §Receiving Messages). */
export function startSse(res: ServerResponse, headers?: Record<string, string>): void {
  const h: Record<string, string> = {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  };
  if (headers !== undefined) Object.assign(h, headers);
  res.writeHead(200, h);
  res.flushHeaders();
}

/** One SSE `message` event (with an id when resumable). */
export function sseEvent(data: string, id?: string): string {
  return id === undefined
    ? `event: message\ndata: ${data}\n\n`
    : `id: ${id}\nevent: message\ndata: ${data}\n\n`;
}

/** First value of a header that may repeat. */
export function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** True when the Accept header lists `type` (or a wildcard covering it). */
export function accepts(req: IncomingMessage, type: 'application/json' | 'text/event-stream'): boolean {
  const accept = req.headers.accept;
  if (accept === undefined) return false;
  return (
    accept.includes(type) ||
    accept.includes('*/*') ||
    (type === 'application/json' ? accept.includes('application/*') : accept.includes('text/*'))
  );
}
