/** A JSON-RPC request id. */
export type RequestId = string | number;

/** A JSON-RPC request (has an id and a method). */
export interface JsonRpcRequest {
  jsonrpc: '2.0';
  id: RequestId;
  method: string;
  params?: Record<string, unknown>;
}

/** A JSON-RPC notification (a method, no id). */
export interface JsonRpcNotification {
  jsonrpc: '2.0';
  method: string;
  params?: Record<string, unknown>;
}

/** The error member of a JSON-RPC error response. */
export interface JsonRpcErrorObject {
  code: number;
  message: string;
  data?: unknown;
}

/** A JSON-RPC response: a result or an error for a request id. */
export interface JsonRpcResponse {
  jsonrpc: '2.0';
  id: RequestId | null;
  result?: Record<string, unknown>;
  error?: JsonRpcErrorObject;
}

/** Any JSON-RPC message. */
export type JsonRpcMessage = JsonRpcRequest | JsonRpcNotification | JsonRpcResponse;

/** True for a response (no method; an id, possibly null for parse errors). */
export function isResponse(m: JsonRpcMessage): m is JsonRpcResponse {
  return (m as { method?: unknown }).method === undefined;
}

/** True for a server→client request (a method and an id). */
export function isRequest(m: JsonRpcMessage): m is JsonRpcRequest {
  const r = m as { method?: unknown; id?: unknown };
  return typeof r.method === 'string' && r.id !== undefined && r.id !== null;
}

/**
 * Checks that a parsed value is shaped like one JSON-RPC message. Only the envelope is checked:
 * params and results are passed through untouched (the gateway must not reshape them).
 */
export function isJsonRpcMessage(value: unknown): value is JsonRpcMessage {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const m = value as Record<string, unknown>;
  if (m.jsonrpc !== '2.0') return false;
  if (typeof m.method === 'string') return true;
  return 'id' in m && ('result' in m || (typeof m.error === 'object' && m.error !== null));
}

/** Shortens a payload for an error message (never more than `max` characters). */
export function preview(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}
