import type { IncomingMessage, ServerResponse } from 'node:http';
import { BridgeError } from '../core/bridge-error.js';
import { ErrorCode, errorResponse, type JsonRpcId } from '../core/json-rpc.js';

/**
 * Reads a request body into one Buffer, refusing more than `limit` bytes (checked against
 * Content-Length up front and while streaming), so an oversize upload costs no memory.
 *
 * @throws BridgeError MESSAGE_TOO_LARGE past the limit
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? Number.NaN);
  if (declared > limit) {
    req.resume();
    return Promise.reject(tooLarge(declared, limit));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(tooLarge(size, limit));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function tooLarge(size: number, limit: number): BridgeError {
  return new BridgeError(
    'MESSAGE_TOO_LARGE',
    `message of ${size} bytes exceeds the ${limit}-byte limit (--max-message-bytes)`,
  );
}

/** Answers with a JSON body (and extra headers). */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(payload),
  });
  res.end(payload);
}

/** Answers with an HTTP status and a JSON-RPC error body naming the problem. */
export function sendRpcError(
  res: ServerResponse,
  status: number,
  code: number,
  message: string,
  id: JsonRpcId | null = null,
  headers: Record<string, string> = {},
): void {
  sendJson(res, status, errorResponse(id, code, message), headers);
}

/** Maps a failure while reading or parsing a body to the matching HTTP + JSON-RPC error. */
export function sendBodyError(res: ServerResponse, error: unknown): void {
  if (error instanceof BridgeError && error.code === 'MESSAGE_TOO_LARGE') {
    sendRpcError(res, 413, ErrorCode.MessageTooLarge, error.message);
  } else {
    sendRpcError(
      res,
      400,
      ErrorCode.ParseError,
      `could not read the request body: ${(error as Error).message}`,
    );
  }
}

/** Reads a single-valued header (first value when repeated). */
export function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
