import {
  PluginError,
  type PluginViolation,
  pluginErrorToJsonRpcError,
  violationToJsonRpcError,
} from '@contextforge/plugin-framework';
import { McpError } from '../mcp/errors.js';
import { ErrorCode } from '../mcp/protocol.js';

/**
 * A plugin's violation as the JSON-RPC error the client receives, with the framework's edge mapping
 * (ContextForge's shape): `violation.mcpErrorCode ?? -32602`, message `Plugin Violation: <description>`,
 * data `{ reason, description, plugin_error_code, plugin_name, details }`.
 */
export function violationError(violation: PluginViolation): McpError {
  const e = violationToJsonRpcError(violation);
  return new McpError(e.code, e.message, e.data);
}

/**
 * A failed hook call (a plugin with `on_error: fail` that threw or timed out) as JSON-RPC -32603 naming the
 * plugin and hook; anything that is not the framework's error passes through unchanged.
 */
export function hookFailure(error: unknown): unknown {
  if (!(error instanceof PluginError)) return error;
  const e = pluginErrorToJsonRpcError(error);
  return new McpError(e.code, e.message, e.data, { cause: error });
}

/** Plugins replaced a value with something the protocol cannot carry (a bug in a plugin). */
export function badReplacement(what: string, expected: string, received: unknown): McpError {
  const type = received === null ? 'null' : Array.isArray(received) ? 'an array' : typeof received;
  return new McpError(
    ErrorCode.InternalError,
    `plugins replaced the ${what} with ${type}; expected ${expected}`,
  );
}
