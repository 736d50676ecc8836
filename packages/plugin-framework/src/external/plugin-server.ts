/**
 * The external plugin server SDK: an MCP server exposing ContextForge's three plugin tools
 * (`get_plugin_configs`, `get_plugin_config`, `invoke_hook`) for the plugins a `PluginManager`
 * loaded. Transports live in `serve-plugins.ts`.
 */
import { McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { errorMessage, PluginError } from '../errors.js';
import { isHookName } from '../hooks/hook-names.js';
import type { PluginManager } from '../manager/plugin-manager.js';
import { RequestPluginContext } from '../manager/request-context.js';
import { VERSION } from '../version.js';
import {
  fromWireGlobal,
  isRecord,
  TOOL_GET_PLUGIN_CONFIG,
  TOOL_GET_PLUGIN_CONFIGS,
  TOOL_INVOKE_HOOK,
  toWireConfig,
  toWireContext,
  toWireResult,
  type WireContext,
} from './wire.js';

/** Answers the three plugin tools from a manager (transport-independent, unit-testable). */
export class ExternalPluginServer {
  /** @param manager an initialized manager holding the plugins to serve */
  constructor(readonly manager: PluginManager) {}

  /** `get_plugin_configs`: every served plugin's configuration. */
  getPluginConfigs(): Record<string, unknown>[] {
    return this.manager
      .listPlugins()
      .map((info) => this.configOf(info.name))
      .filter(isRecord);
  }

  /** `get_plugin_config`: one plugin's configuration, `{}` when unknown (CPEX behaviour). */
  getPluginConfig(name: string): Record<string, unknown> {
    return this.configOf(name) ?? {};
  }

  private configOf(name: string): Record<string, unknown> | undefined {
    const entry = this.manager.config.plugins.find((p) => p.name === name);
    const info = this.manager.getPlugin(name);
    return entry && info ? toWireConfig(entry, info.hooks) : undefined;
  }

  /** `invoke_hook`: runs one plugin's hook; answers `{ plugin_name, result, context }` or `{ error }`. */
  async invokeHook(
    hookType: string,
    pluginName: string,
    payload: unknown,
    context: unknown,
  ): Promise<Record<string, unknown>> {
    if (!isHookName(hookType))
      return wireError(pluginName, `unknown hook_type "${hookType}"`, 'INVALID_HOOK');
    const wire = (isRecord(context) ? context : {}) as Partial<WireContext>;
    const ctx = new RequestPluginContext(fromWireGlobal(wire.global_context));
    if (isRecord(wire.state)) ctx.state = wire.state;
    if (isRecord(wire.metadata)) ctx.metadata = wire.metadata;
    try {
      const result = await this.manager.invokePlugin(pluginName, hookType, payload, ctx);
      return { plugin_name: pluginName, result: toWireResult(result), context: toWireContext(ctx) };
    } catch (error) {
      return wireError(
        pluginName,
        errorMessage(error),
        error instanceof PluginError ? error.code : 'PLUGIN_ERROR',
      );
    }
  }

  /** A fresh MCP server instance with the three tools (the SDK asks for one per request/connection). */
  createMcpServer(): McpServer {
    const server = new McpServer(
      { name: 'contextforge-plugin-server', version: VERSION },
      { capabilities: { tools: {} }, instructions: 'ContextForge external plugin server' },
    );
    const json = (value: unknown) => ({ content: [{ type: 'text' as const, text: JSON.stringify(value) }] });
    server.registerTool(
      TOOL_GET_PLUGIN_CONFIGS,
      { description: 'List the configurations of the plugins this server hosts' },
      async () => json(this.getPluginConfigs()),
    );
    server.registerTool(
      TOOL_GET_PLUGIN_CONFIG,
      {
        description: 'Get the configuration of one hosted plugin',
        inputSchema: z.object({ name: z.string() }),
      },
      async ({ name }) => json(this.getPluginConfig(name)),
    );
    server.registerTool(
      TOOL_INVOKE_HOOK,
      {
        description: 'Run a hosted plugin hook',
        inputSchema: z.object({
          hook_type: z.string(),
          plugin_name: z.string(),
          payload: z.record(z.string(), z.unknown()),
          context: z.record(z.string(), z.unknown()).optional(),
        }),
      },
      async ({ hook_type, plugin_name, payload, context }) =>
        json(await this.invokeHook(hook_type, plugin_name, payload, context ?? {})),
    );
    return server;
  }
}

function wireError(pluginName: string, message: string, code: string): Record<string, unknown> {
  return { error: { message, plugin_name: pluginName, code, details: {}, mcp_error_code: -32603 } };
}
