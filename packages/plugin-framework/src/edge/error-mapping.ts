/**
 * Maps plugin outcomes to protocol errors, once, at the edge: a violation becomes a JSON-RPC error
 * (MCP endpoints) or an HTTP problem response (REST and middleware); a plugin failure becomes an
 * internal error that names the plugin but carries no payload data.
 */
import { PluginError, PluginViolationError } from '../errors.js';
import type { PluginViolation } from '../hooks/result.js';

/**
 * JSON-RPC code for a policy violation unless the plugin chose one (`mcpErrorCode`): -32602, as
 * ContextForge answers, so clients see the same error from both gateways.
 */
export const PLUGIN_VIOLATION_JSONRPC_CODE = -32602;
/** JSON-RPC code for a plugin that failed or timed out. */
export const PLUGIN_ERROR_JSONRPC_CODE = -32603;

/** A JSON-RPC error object. */
export interface JsonRpcErrorObject {
  code: number;
  message: string;
  data?: Record<string, unknown>;
}

/** An HTTP error answer: status, JSON body and extra headers. */
export interface HttpErrorResponse {
  status: number;
  body: { detail: string; code: string; plugin?: string; details?: Record<string, unknown> };
  headers: Record<string, string>;
}

/**
 * The JSON-RPC error for `violation`, shaped like ContextForge's: message
 * `"Plugin Violation: <description>"`, data `{ reason, description, plugin_error_code,
 * plugin_name, details }`.
 */
export function violationToJsonRpcError(violation: PluginViolation): JsonRpcErrorObject {
  return {
    code: violation.mcpErrorCode ?? PLUGIN_VIOLATION_JSONRPC_CODE,
    message: `Plugin Violation: ${violation.description || violation.reason}`,
    data: {
      reason: violation.reason,
      ...(violation.description ? { description: violation.description } : {}),
      plugin_error_code: violation.code,
      ...(violation.pluginName ? { plugin_name: violation.pluginName } : {}),
      ...(violation.details && Object.keys(violation.details).length > 0
        ? { details: violation.details }
        : {}),
    },
  };
}

/** Default HTTP status of a violation: the plugin's choice, 429 for rate limits, else 403. */
export function violationHttpStatus(violation: PluginViolation): number {
  if (violation.httpStatusCode) return violation.httpStatusCode;
  return /RATE_LIMIT/i.test(violation.code) ? 429 : 403;
}

/** The HTTP answer for `violation`. */
export function violationToHttpError(violation: PluginViolation): HttpErrorResponse {
  return {
    status: violationHttpStatus(violation),
    body: {
      detail: violation.description ? `${violation.reason}: ${violation.description}` : violation.reason,
      code: violation.code,
      ...(violation.pluginName ? { plugin: violation.pluginName } : {}),
      ...(violation.details && Object.keys(violation.details).length > 0
        ? { details: violation.details }
        : {}),
    },
    headers: { ...(violation.httpHeaders ?? {}) },
  };
}

/**
 * Maps anything a hook call threw: violations as above; framework errors (plugin failed, timed
 * out) as JSON-RPC -32603 naming the plugin; other errors are rethrown (not ours to map).
 */
export function pluginErrorToJsonRpcError(error: unknown): JsonRpcErrorObject {
  if (error instanceof PluginViolationError) return violationToJsonRpcError(error.violation);
  if (error instanceof PluginError) {
    return {
      code: PLUGIN_ERROR_JSONRPC_CODE,
      message: error.message,
      data: {
        code: error.code,
        ...(error.pluginName ? { plugin: error.pluginName } : {}),
        ...(error.hook ? { hook: error.hook } : {}),
      },
    };
  }
  throw error;
}

/** HTTP counterpart of `pluginErrorToJsonRpcError` (violations 403/429, failures 500, timeouts 504). */
export function pluginErrorToHttpError(error: unknown): HttpErrorResponse {
  if (error instanceof PluginViolationError) return violationToHttpError(error.violation);
  if (error instanceof PluginError) {
    return {
      status: error.code === 'PLUGIN_TIMEOUT' ? 504 : 500,
      body: {
        detail: error.message,
        code: error.code,
        ...(error.pluginName ? { plugin: error.pluginName } : {}),
      },
      headers: {},
    };
  }
  throw error;
}
