/**
 * @contextforge/plugin-framework — hook contracts, the plugin manager (ContextForge-compatible YAML),
 * external plugins over MCP (client and server SDK, mTLS) and the `mcpplugins` CLI.
 */

// Configuration
export { renderEnvTemplate } from './config/env-template.js';
export { loadPluginsConfig, parsePluginsYaml } from './config/load-config.js';
export {
  isPluginMode,
  LEGACY_MODES,
  MODE_PHASE,
  ON_ERROR_POLICIES,
  type OnError,
  PLUGIN_MODES,
  type PluginMode,
} from './config/modes.js';
export { type ParseOptions, parsePluginsConfig } from './config/parse-config.js';
export {
  type ClientTlsConfig,
  type McpClientConfig,
  type PluginCondition,
  type PluginConfig,
  type PluginSettings,
  type PluginsConfig,
  pluginConfigSchema,
  pluginsConfigSchema,
  type ServerSettings,
  type ServerTlsConfig,
} from './config/schema.js';
// Edge mapping
export {
  type HttpErrorResponse,
  type JsonRpcErrorObject,
  PLUGIN_ERROR_JSONRPC_CODE,
  PLUGIN_VIOLATION_JSONRPC_CODE,
  pluginErrorToHttpError,
  pluginErrorToJsonRpcError,
  violationHttpStatus,
  violationToHttpError,
  violationToJsonRpcError,
} from './edge/error-mapping.js';
// Errors
export {
  errorMessage,
  PluginConfigError,
  PluginError,
  type PluginErrorCode,
  PluginExecutionError,
  PluginTimeoutError,
  PluginViolationError,
} from './errors.js';
// External plugins
export { ExternalPlugin, type ExternalPluginOptions } from './external/external-plugin.js';
export { ExternalPluginServer } from './external/plugin-server.js';
export {
  type RunningPluginServer,
  type ServePluginsOptions,
  servePlugins,
} from './external/serve-plugins.js';
export { serverSettingsWithEnv, transportFromEnv } from './external/server-settings-from-env.js';
export {
  TOOL_GET_PLUGIN_CONFIG,
  TOOL_GET_PLUGIN_CONFIGS,
  TOOL_INVOKE_HOOK,
  type WireContext,
  type WireResult,
  type WireViolation,
} from './external/wire.js';
// Hooks
export {
  createGlobalContext,
  type GlobalContext,
  type PluginContext,
  type PluginContextTable,
} from './hooks/context.js';
export { HOOK_NAMES, HOOK_SUBJECT, type HookName, type HookSubject, isHookName } from './hooks/hook-names.js';
export type * from './hooks/payloads.js';
export { allow, block, modify, type PluginResult, type PluginViolation } from './hooks/result.js';
// Manager
export type { HookOutcome } from './manager/hook-outcome.js';
export type { PluginInfo } from './manager/plugin-info.js';
export {
  PluginManager,
  type PluginManagerOptions,
  type ReloadReport,
} from './manager/plugin-manager.js';
export type { HookCounters, PluginStatsSnapshot } from './manager/plugin-stats.js';
// Plugin authoring
export { parsePluginConfig } from './plugin/parse-plugin-config.js';
export {
  definePlugin,
  type HookHandler,
  type HookHandlers,
  type MaybePromise,
  type Plugin,
  type PluginFactory,
  type PluginInit,
  type PluginManifest,
  type PluginModule,
} from './plugin/plugin.js';
export { type StringVisitor, type WalkOptions, type WalkResult, walkStrings } from './plugin/walk-strings.js';
// CLI
export { createProgram } from './program.js';
export { runCli } from './run-cli.js';
export { createConsoleLogger, type LogLevel, type PluginLogger, silentLogger } from './util/logger.js';
export { PACKAGE_NAME, VERSION } from './version.js';
