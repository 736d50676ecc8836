/**
 * The CPEX wire format of external plugins (snake_case JSON inside MCP tool calls), mapped to and
 * from the framework's types. Keeping it in one file keeps our servers and clients interoperable
 * with ContextForge's Python ones.
 */
import type { PluginConfig } from '../config/schema.js';
import type { GlobalContext, PluginContext } from '../hooks/context.js';
import type { PluginResult, PluginViolation } from '../hooks/result.js';

/** Tool names of the external plugin protocol. */
export const TOOL_GET_PLUGIN_CONFIGS = 'get_plugin_configs';
export const TOOL_GET_PLUGIN_CONFIG = 'get_plugin_config';
export const TOOL_INVOKE_HOOK = 'invoke_hook';

/** `context` argument of `invoke_hook`. */
export interface WireContext {
  state: Record<string, unknown>;
  global_context: {
    request_id: string;
    user?: string | Record<string, unknown> | null;
    tenant_id?: string | null;
    server_id?: string | null;
    state: Record<string, unknown>;
    metadata: Record<string, unknown>;
  };
  metadata: Record<string, unknown>;
}

/** A violation on the wire. */
export interface WireViolation {
  reason: string;
  description: string;
  code: string;
  details?: Record<string, unknown>;
  plugin_name?: string;
  mcp_error_code?: number | null;
  http_status_code?: number | null;
  http_headers?: Record<string, string> | null;
}

/** A result on the wire. */
export interface WireResult {
  continue_processing?: boolean;
  modified_payload?: unknown;
  violation?: WireViolation | null;
  metadata?: Record<string, unknown> | null;
}

/** An error on the wire. */
export interface WireError {
  message: string;
  plugin_name: string;
  code?: string;
  details?: Record<string, unknown>;
  mcp_error_code?: number;
}

/** Serialises a plugin context. */
export function toWireContext(context: PluginContext): WireContext {
  const g = context.globalContext;
  return {
    state: context.state,
    global_context: {
      request_id: g.requestId,
      user: g.user ?? null,
      tenant_id: g.tenantId ?? null,
      server_id: g.serverId ?? null,
      state: g.state,
      metadata: g.metadata,
    },
    metadata: context.metadata,
  };
}

/** Reads a wire context into a global context (missing fields become empty). */
export function fromWireGlobal(wire: Partial<WireContext['global_context']> | undefined): GlobalContext {
  const g = wire ?? {};
  return {
    requestId: typeof g.request_id === 'string' ? g.request_id : globalThis.crypto.randomUUID(),
    ...(g.user !== undefined && g.user !== null ? { user: g.user } : {}),
    ...(typeof g.tenant_id === 'string' ? { tenantId: g.tenant_id } : {}),
    ...(typeof g.server_id === 'string' ? { serverId: g.server_id } : {}),
    state: isRecord(g.state) ? g.state : {},
    metadata: isRecord(g.metadata) ? g.metadata : {},
  };
}

/** Copies state returned by a remote plugin back into the local context. */
export function mergeWireContext(context: PluginContext, wire: unknown): void {
  if (!isRecord(wire)) return;
  if (isRecord(wire.state)) context.state = wire.state;
  if (isRecord(wire.metadata)) context.metadata = wire.metadata;
  const g = wire.global_context;
  if (isRecord(g) && isRecord(g.state)) Object.assign(context.globalContext.state, g.state);
}

/** Serialises a result. */
export function toWireResult(result: PluginResult): WireResult {
  return {
    continue_processing: result.continueProcessing ?? true,
    modified_payload: result.modifiedPayload ?? null,
    violation: result.violation ? toWireViolation(result.violation) : null,
    metadata: result.metadata ?? {},
  };
}

/** Serialises a violation. */
export function toWireViolation(v: PluginViolation): WireViolation {
  return {
    reason: v.reason,
    description: v.description,
    code: v.code,
    details: v.details ?? {},
    ...(v.pluginName ? { plugin_name: v.pluginName } : {}),
    ...(v.mcpErrorCode !== undefined ? { mcp_error_code: v.mcpErrorCode } : {}),
    ...(v.httpStatusCode !== undefined ? { http_status_code: v.httpStatusCode } : {}),
    ...(v.httpHeaders ? { http_headers: v.httpHeaders } : {}),
  };
}

/** Reads a wire result (lenient about nulls, strict about types). */
export function fromWireResult(wire: unknown): PluginResult {
  if (!isRecord(wire)) throw new Error(`expected a result object, received ${typeof wire}`);
  const result: PluginResult = {};
  if (wire.continue_processing === false) result.continueProcessing = false;
  if (wire.modified_payload !== undefined && wire.modified_payload !== null)
    result.modifiedPayload = wire.modified_payload;
  if (isRecord(wire.violation)) result.violation = fromWireViolation(wire.violation);
  if (isRecord(wire.metadata) && Object.keys(wire.metadata).length > 0) result.metadata = wire.metadata;
  return result;
}

function fromWireViolation(v: Record<string, unknown>): PluginViolation {
  return {
    reason: String(v.reason ?? 'Request blocked'),
    description: String(v.description ?? ''),
    code: String(v.code ?? 'PLUGIN_VIOLATION'),
    ...(isRecord(v.details) ? { details: v.details } : {}),
    ...(typeof v.mcp_error_code === 'number' ? { mcpErrorCode: v.mcp_error_code } : {}),
    ...(typeof v.http_status_code === 'number' ? { httpStatusCode: v.http_status_code } : {}),
    ...(isRecord(v.http_headers) ? { httpHeaders: v.http_headers as Record<string, string> } : {}),
  };
}

/** Serialises a plugin entry as CPEX's `PluginConfig` JSON. */
export function toWireConfig(entry: PluginConfig, hooks: readonly string[]): Record<string, unknown> {
  return {
    name: entry.name,
    kind: entry.kind,
    description: entry.description ?? null,
    author: entry.author ?? null,
    version: entry.version ?? null,
    namespace: entry.namespace ?? null,
    hooks: [...hooks],
    tags: entry.tags,
    mode: entry.mode,
    on_error: entry.on_error,
    priority: entry.priority,
    conditions: entry.conditions,
    config: entry.config ?? {},
  };
}

/** Narrow object check. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
