import type { IncomingMessage } from 'node:http';
import { ErrorCode, type JsonRpcMessage, type JsonRpcResponse } from '../core/json-rpc.js';
import { header } from './http-io.js';

/** The first stateless MCP revision. */
export const MODERN_PROTOCOL_VERSION = '2026-07-28';
const META_VERSION = 'io.modelcontextprotocol/protocolVersion';

function metaVersion(message: JsonRpcMessage): string | undefined {
  const params = (message as { params?: { _meta?: Record<string, unknown> } }).params;
  const value = params?._meta?.[META_VERSION];
  return typeof value === 'string' ? value : undefined;
}

/**
 * True when a POST belongs to the stateless era (MCP 2026-07-28): its body carries the `_meta`
 * protocol version, or its `MCP-Protocol-Version` header names 2026-07-28 or later.
 */
export function isModernRequest(req: IncomingMessage, message: JsonRpcMessage): boolean {
  if (metaVersion(message) !== undefined) return true;
  const version = header(req, 'mcp-protocol-version');
  return version !== undefined && version >= MODERN_PROTOCOL_VERSION;
}

/** True when a GET/DELETE announces the stateless era (answered 405). */
export function isModernHeader(req: IncomingMessage): boolean {
  const version = header(req, 'mcp-protocol-version');
  return (
    version !== undefined && version >= MODERN_PROTOCOL_VERSION && header(req, 'mcp-session-id') === undefined
  );
}

/**
 * Checks the 2026-07-28 request headers against the body, as intermediaries must
 * (transports/streamable-http: header mirroring): `MCP-Protocol-Version` equals the `_meta` version,
 * `Mcp-Method` equals the method, `Mcp-Name` equals the tool/prompt name or resource URI.
 *
 * @returns a message naming the mismatch, or undefined when consistent
 */
export function checkModernHeaders(req: IncomingMessage, message: JsonRpcMessage): string | undefined {
  const headerVersion = header(req, 'mcp-protocol-version');
  const bodyVersion = metaVersion(message);
  if (headerVersion !== undefined && bodyVersion !== undefined && headerVersion !== bodyVersion) {
    return `MCP-Protocol-Version header "${headerVersion}" does not match _meta protocol version "${bodyVersion}"`;
  }
  if (!('method' in message)) return undefined;
  const method = header(req, 'mcp-method');
  if (method === undefined)
    return `Mcp-Method header is required and must equal the method "${message.method}"`;
  if (method !== message.method)
    return `Mcp-Method header "${method}" does not match the body's method "${message.method}"`;
  const params = (message.params ?? {}) as Record<string, unknown>;
  const expected =
    message.method === 'tools/call' || message.method === 'prompts/get'
      ? params.name
      : message.method === 'resources/read'
        ? params.uri
        : undefined;
  if (expected !== undefined) {
    const name = header(req, 'mcp-name');
    if (name === undefined)
      return `Mcp-Name header is required for ${message.method} and must equal "${String(expected)}"`;
    if (name !== expected)
      return `Mcp-Name header "${name}" does not match "${String(expected)}" in the body`;
  }
  return undefined;
}

/**
 * Checks that a 2026-07-28 request carries the per-request `_meta` claims the revision requires
 * (`io.modelcontextprotocol/protocolVersion` and `…/clientCapabilities`). The bridge checks this at
 * the HTTP edge because a stdio server decides a connection's era from its first message: a request
 * without the claims must not reach (and mis-pin) the shared modern child.
 *
 * @returns a message naming the missing field, or undefined when present
 */
export function checkModernMeta(message: JsonRpcMessage): string | undefined {
  if (!('method' in message) || !('id' in message)) return undefined;
  const params = message.params as { _meta?: Record<string, unknown> } | undefined;
  const meta = params?._meta;
  if (meta === undefined || meta === null || typeof meta !== 'object') {
    return `params._meta is required on ${MODERN_PROTOCOL_VERSION} requests (with ${META_VERSION} and io.modelcontextprotocol/clientCapabilities)`;
  }
  if (typeof meta[META_VERSION] !== 'string') return `params._meta["${META_VERSION}"] is required`;
  const caps = meta['io.modelcontextprotocol/clientCapabilities'];
  if (caps === null || typeof caps !== 'object') {
    return 'params._meta["io.modelcontextprotocol/clientCapabilities"] is required (an object, possibly empty)';
  }
  return undefined;
}

/** HTTP status of a 2026-07-28 error response (unknown method 404; version/header errors 400). */
export function modernStatusOf(response: JsonRpcResponse): number {
  switch (response.error?.code) {
    case ErrorCode.MethodNotFound:
      return 404;
    case ErrorCode.InvalidParams:
    case ErrorCode.HeaderMismatch:
    case ErrorCode.UnsupportedProtocolVersion:
    case ErrorCode.MissingClientCapability:
      return 400;
    default:
      return 200;
  }
}
