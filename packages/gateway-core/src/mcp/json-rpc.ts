import { invalidRequest, type JsonRpcErrorObject, McpError } from './errors.js';
import { ErrorCode } from './protocol.js';

/** A JSON-RPC request id (MCP forbids `null` on requests). */
export type RequestId = string | number;

/** An incoming JSON-RPC request. */
export interface JsonRpcRequest {
  jsonrpc: '2.0';
  id: RequestId;
  method: string;
  params?: Record<string, unknown>;
}

/** An incoming or outgoing JSON-RPC notification. */
export interface JsonRpcNotification {
  jsonrpc: '2.0';
  method: string;
  params?: Record<string, unknown>;
}

/** A JSON-RPC response (result or error). */
export interface JsonRpcResponse {
  jsonrpc: '2.0';
  id: RequestId | null;
  result?: unknown;
  error?: JsonRpcErrorObject;
}

/** One classified incoming message. */
export type IncomingMessage =
  | { kind: 'request'; msg: JsonRpcRequest }
  | { kind: 'notification'; msg: JsonRpcNotification }
  | { kind: 'response'; msg: JsonRpcResponse };

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Classifies one parsed JSON value as a JSON-RPC request, notification or response.
 *
 * @throws McpError -32600 naming the field that is wrong.
 */
export function classifyMessage(value: unknown): IncomingMessage {
  if (!isObject(value)) throw invalidRequest('Invalid Request: a JSON-RPC message must be a JSON object');
  if (value.jsonrpc !== '2.0') throw invalidRequest('Invalid Request: "jsonrpc" must be "2.0"');
  const { id, method, params } = value;
  if (typeof method === 'string') {
    if (params !== undefined && !isObject(params)) {
      throw invalidRequest(`Invalid Request: "params" of ${method} must be an object`);
    }
    if (id === undefined) return { kind: 'notification', msg: value as unknown as JsonRpcNotification };
    if (typeof id !== 'string' && !(typeof id === 'number' && Number.isFinite(id))) {
      throw invalidRequest('Invalid Request: "id" must be a string or a number (MCP forbids null ids)');
    }
    return { kind: 'request', msg: value as unknown as JsonRpcRequest };
  }
  if (method !== undefined) throw invalidRequest('Invalid Request: "method" must be a string');
  if ('result' in value || 'error' in value) {
    if (typeof id !== 'string' && typeof id !== 'number' && id !== null) {
      throw invalidRequest('Invalid Request: a response needs an "id"');
    }
    return { kind: 'response', msg: value as unknown as JsonRpcResponse };
  }
  throw invalidRequest(
    'Invalid Request: a message needs "method" (request/notification) or "result"/"error" (response)',
  );
}

/** Best-effort id of a value that failed classification, so the error can echo it. */
export function idOf(value: unknown): RequestId | null {
  if (isObject(value) && (typeof value.id === 'string' || typeof value.id === 'number')) return value.id;
  return null;
}

/**
 * Parses a request body.
 *
 * @throws McpError -32700 when the body is not JSON.
 */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new McpError(ErrorCode.ParseError, `Parse error: ${(err as Error).message}`, undefined, {
      httpStatus: 400,
    });
  }
}

/** Serialised `{"jsonrpc":"2.0","id":…,"result":…}`; `resultJson` must already be JSON. */
export function resultFrame(id: RequestId, resultJson: string): string {
  return `{"jsonrpc":"2.0","id":${JSON.stringify(id)},"result":${resultJson}}`;
}

/** Serialised JSON-RPC error response. */
export function errorFrame(id: RequestId | null, error: JsonRpcErrorObject): string {
  return `{"jsonrpc":"2.0","id":${JSON.stringify(id)},"error":${JSON.stringify(error)}}`;
}

/** Serialised JSON-RPC notification. */
export function notificationFrame(method: string, params?: unknown): string {
  return params === undefined
    ? `{"jsonrpc":"2.0","method":${JSON.stringify(method)}}`
    : `{"jsonrpc":"2.0","method":${JSON.stringify(method)},"params":${JSON.stringify(params)}}`;
}

/** Serialised JSON-RPC request (server→client). */
export function requestFrame(id: RequestId, method: string, params?: unknown): string {
  return params === undefined
    ? `{"jsonrpc":"2.0","id":${JSON.stringify(id)},"method":${JSON.stringify(method)}}`
    : `{"jsonrpc":"2.0","id":${JSON.stringify(id)},"method":${JSON.stringify(method)},"params":${JSON.stringify(params)}}`;
}
