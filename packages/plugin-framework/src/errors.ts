/**
 * Typed errors of the plugin framework (the internal `GatewayError` family: a string `code`, a
 * `cause`). Protocol mapping (JSON-RPC / HTTP) happens once, at the edge: see `edge/`.
 */
import type { HookName } from './hooks/hook-names.js';
import type { PluginViolation } from './hooks/result.js';

/** Error codes raised by the framework. */
export type PluginErrorCode =
  | 'PLUGIN_CONFIG_INVALID'
  | 'PLUGIN_LOAD_FAILED'
  | 'PLUGIN_EXECUTION_FAILED'
  | 'PLUGIN_TIMEOUT'
  | 'PLUGIN_VIOLATION'
  | 'PLUGIN_NOT_FOUND'
  | 'EXTERNAL_PLUGIN_FAILED';

/** Base class of every framework error. */
export class PluginError extends Error {
  override readonly name: string = 'PluginError';
  /**
   * @param code stable machine code
   * @param message what failed, what was expected, what was received, where
   * @param options `pluginName`/`hook` locate it; `cause` is the underlying error
   */
  constructor(
    readonly code: PluginErrorCode,
    message: string,
    options: { pluginName?: string; hook?: HookName; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.pluginName = options.pluginName;
    this.hook = options.hook;
  }
  /** The plugin involved, when there is one. */
  readonly pluginName: string | undefined;
  /** The hook being run, when there is one. */
  readonly hook: HookName | undefined;
}

/** The configuration file (or a plugin's `config` block) is invalid. */
export class PluginConfigError extends PluginError {
  override readonly name = 'PluginConfigError';
  /**
   * @param source the file or "<inline>"
   * @param problems one line each, already naming the entry and field
   */
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
    pluginName?: string,
  ) {
    super(
      'PLUGIN_CONFIG_INVALID',
      `invalid plugin configuration (${source}):\n${problems.map((p) => `  - ${p}`).join('\n')}`,
      { pluginName },
    );
  }
}

/** A plugin threw (or an external plugin answered with an error) while running a hook. */
export class PluginExecutionError extends PluginError {
  override readonly name = 'PluginExecutionError';
}

/** A plugin did not answer within its timeout. */
export class PluginTimeoutError extends PluginError {
  override readonly name = 'PluginTimeoutError';
  /** @param timeoutMs the limit that elapsed */
  constructor(
    pluginName: string,
    hook: HookName,
    readonly timeoutMs: number,
  ) {
    super('PLUGIN_TIMEOUT', `plugin "${pluginName}" did not answer ${hook} within ${timeoutMs} ms`, {
      pluginName,
      hook,
    });
  }
}

/**
 * A hook blocked the request. The manager returns violations in its outcome; the gateway may throw
 * this to carry one to its error mapper (`violationToJsonRpcError` / `violationToHttpError`).
 */
export class PluginViolationError extends PluginError {
  override readonly name = 'PluginViolationError';
  /** @param violation what the plugin reported */
  constructor(
    readonly violation: PluginViolation,
    hook?: HookName,
  ) {
    super(
      'PLUGIN_VIOLATION',
      `${violation.reason}: ${violation.description}${violation.pluginName ? ` (plugin "${violation.pluginName}")` : ''}`,
      { pluginName: violation.pluginName, hook },
    );
  }
}

/** Reads an error message from anything thrown. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
