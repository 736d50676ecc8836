import { describe, expect, it } from 'vitest';
import { PluginExecutionError, PluginTimeoutError, PluginViolationError } from '../errors.js';
import {
  PLUGIN_VIOLATION_JSONRPC_CODE,
  pluginErrorToHttpError,
  pluginErrorToJsonRpcError,
  violationToHttpError,
  violationToJsonRpcError,
} from './error-mapping.js';

const violation = {
  reason: 'Prompt not allowed',
  description: 'A deny word was found in the prompt',
  code: 'DENY_WORD',
  details: { argument: 'text' },
  pluginName: 'deny',
};

describe('violation mapping', () => {
  it("maps a violation to a JSON-RPC error shaped like ContextForge's", () => {
    expect(PLUGIN_VIOLATION_JSONRPC_CODE).toBe(-32602);
    expect(violationToJsonRpcError(violation)).toEqual({
      code: -32602,
      message: 'Plugin Violation: A deny word was found in the prompt',
      data: {
        reason: 'Prompt not allowed',
        description: 'A deny word was found in the prompt',
        plugin_error_code: 'DENY_WORD',
        plugin_name: 'deny',
        details: { argument: 'text' },
      },
    });
    expect(violationToJsonRpcError({ ...violation, mcpErrorCode: -32001 }).code).toBe(-32001);
  });

  it('maps violations to 403, rate limits to 429 with their headers, or the plugin-chosen status', () => {
    expect(violationToHttpError(violation).status).toBe(403);
    const limited = violationToHttpError({
      ...violation,
      code: 'RATE_LIMIT_EXCEEDED',
      httpHeaders: { 'Retry-After': '12' },
    });
    expect(limited).toMatchObject({ status: 429, headers: { 'Retry-After': '12' } });
    expect(violationToHttpError({ ...violation, httpStatusCode: 451 }).status).toBe(451);
  });

  it('maps plugin failures without leaking payloads and rethrows foreign errors', () => {
    const failed = new PluginExecutionError(
      'PLUGIN_EXECUTION_FAILED',
      'plugin "x" failed in tool_pre_invoke: boom',
      {
        pluginName: 'x',
        hook: 'tool_pre_invoke',
      },
    );
    expect(pluginErrorToJsonRpcError(failed)).toMatchObject({
      code: -32603,
      data: { plugin: 'x', hook: 'tool_pre_invoke' },
    });
    expect(pluginErrorToHttpError(new PluginTimeoutError('x', 'tool_pre_invoke', 100)).status).toBe(504);
    expect(pluginErrorToJsonRpcError(new PluginViolationError(violation)).data).toMatchObject({
      plugin_error_code: 'DENY_WORD',
    });
    expect(() => pluginErrorToJsonRpcError(new TypeError('not ours'))).toThrow(TypeError);
  });
});
