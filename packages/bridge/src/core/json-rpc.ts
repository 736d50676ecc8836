/** A JSON-RPC request or notification id. */
export type JsonRpcId = string | number;

/** A JSON-RPC 2.0 request (has `method` and `id`). */
export interface JsonRpcRequest {
  jsonrpc: '2.0';
  id: JsonRpcId;
  method: string;
  params?: Record<string, unknown> | unknown[];
}

/** A JSON-RPC 2.0 notification (has `method`, no `id`). */
export interface JsonRpcNotification {
  jsonrpc: '2.0';
  method: string;
  params?: Record<string, unknown> | unknown[];
}

/** The error member of a JSON-RPC error response. */
export interface JsonRpcErrorObject {
  code: number;
  message: string;
  data?: unknown;
}

/** A JSON-RPC 2.0 response: `result` or `error`, and the id of the request it answers (null if unknown). */
export interface JsonRpcResponse {
  jsonrpc: '2.0';
  id: JsonRpcId | null;
  result?: unknown;
  error?: JsonRpcErrorObject;
}

/** Any single JSON-RPC 2.0 message. */
export type JsonRpcMessage = JsonRpcRequest | JsonRpcNotification | JsonRpcResponse;

/** Standard and MCP error codes used by the bridge. */
export const ErrorCode = {
  ParseError: -32700,
  InvalidRequest: -32600,
  MethodNotFound: -32601,
  InvalidParams: -32602,
  InternalError: -32603,
  /** The peer (child process or remote server) went away before answering (SDK: ConnectionClosed). */
  ConnectionClosed: -32000,
  /** The request did not complete in time (SDK: RequestTimeout). */
  RequestTimeout: -32001,
  /** Session id unknown or expired. */
  SessionNotFound: -32002,
  /** Too many sessions or messages; try later. */
  Overloaded: -32003,
  /** Message larger than the configured cap. */
  MessageTooLarge: -32004,
  /** MCP 2026-07-28: request headers disagree with the body (spec error range). */
  HeaderMismatch: -32020,
  /** MCP 2026-07-28: the request needs a client capability it did not declare. */
  MissingClientCapability: -32021,
  /** MCP 2026-07-28: the protocol version is not served. */
  UnsupportedProtocolVersion: -32022,
} as const;

/** True for a request: has a method and an id. */
export function isRequest(message: JsonRpcMessage): message is JsonRpcRequest {
  return 'method' in message && 'id' in message && message.id !== undefined && message.id !== null;
}

/** True for a notification: has a method and no id. */
export function isNotification(message: JsonRpcMessage): message is JsonRpcNotification {
  return 'method' in message && (!('id' in message) || message.id === undefined);
}

/** True for a response: no method, has result or error. */
export function isResponse(message: JsonRpcMessage): message is JsonRpcResponse {
  return !('method' in message) && ('result' in message || 'error' in message);
}

/** Builds a JSON-RPC error response. */
export function errorResponse(
  id: JsonRpcId | null,
  code: number,
  message: string,
  data?: unknown,
): JsonRpcResponse {
  const error: JsonRpcErrorObject = data === undefined ? { code, message } : { code, message, data };
  return { jsonrpc: '2.0', id, error };
}

/**
 * Validates that a parsed JSON value is one JSON-RPC 2.0 message and returns it, or a string that says
 * what is wrong with it (used to answer `-32600 Invalid Request` precisely).
 */
export function validateMessage(value: unknown): JsonRpcMessage | string {
  if (value === null || typeof value !== 'object') return `expected a JSON object, received ${typeof value}`;
  if (Array.isArray(value))
    return 'JSON-RPC batches are not supported (MCP 2025-06-18 and later); send one message per request';
  const m = value as Record<string, unknown>;
  if (m.jsonrpc !== '2.0') return `field "jsonrpc" must be "2.0", received ${JSON.stringify(m.jsonrpc)}`;
  if ('id' in m && m.id !== null && typeof m.id !== 'string' && typeof m.id !== 'number') {
    return `field "id" must be a string or a number, received ${typeof m.id}`;
  }
  if ('method' in m) {
    if (typeof m.method !== 'string' || m.method === '') return 'field "method" must be a non-empty string';
    if ('params' in m && m.params !== undefined && (m.params === null || typeof m.params !== 'object')) {
      return 'field "params" must be an object or an array';
    }
    return value as JsonRpcMessage;
  }
  if ('result' in m || 'error' in m) return value as JsonRpcMessage;
  return 'a message needs "method" (request or notification) or "result"/"error" (response)';
}

/** Reads the MCP progress token of a request (`params._meta.progressToken`), if any. */
export function progressTokenOf(message: JsonRpcMessage): JsonRpcId | undefined {
  const params = (message as JsonRpcRequest).params as { _meta?: { progressToken?: JsonRpcId } } | undefined;
  return params?._meta?.progressToken;
}
