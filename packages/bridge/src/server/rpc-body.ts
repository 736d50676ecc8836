import type { IncomingMessage, ServerResponse } from 'node:http';
import { ErrorCode, type JsonRpcMessage, validateMessage } from '../core/json-rpc.js';
import { readBody, sendBodyError, sendRpcError } from './http-io.js';

/**
 * Reads one JSON-RPC message from a POST body, answering the client itself when there is none:
 * 413 past `maxBytes`, 400 `ParseError` when the body is not JSON, 400 `InvalidRequest` when it is
 * not a JSON-RPC message (with the body's `id` when `echoIdOfInvalid`, else null).
 *
 * @returns the message, or undefined when an error was sent
 */
export async function readRpcMessage(
  req: IncomingMessage,
  res: ServerResponse,
  headers: Record<string, string>,
  maxBytes: number,
  echoIdOfInvalid: boolean,
): Promise<JsonRpcMessage | undefined> {
  let body: Buffer;
  try {
    body = await readBody(req, maxBytes);
  } catch (error) {
    sendBodyError(res, error);
    return undefined;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch (error) {
    sendRpcError(
      res,
      400,
      ErrorCode.ParseError,
      `request body is not valid JSON: ${(error as Error).message}`,
      null,
      headers,
    );
    return undefined;
  }
  const message = validateMessage(parsed);
  if (typeof message === 'string') {
    const id = echoIdOfInvalid ? ((parsed as { id?: string | number } | null)?.id ?? null) : null;
    sendRpcError(res, 400, ErrorCode.InvalidRequest, `invalid JSON-RPC message: ${message}`, id, headers);
    return undefined;
  }
  return message;
}
