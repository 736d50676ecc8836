/**
 * The plugin contract: an object with a name, hook handlers keyed by hook name, and optional
 * lifecycle methods. Factories build plugins from their YAML entry.
 */
import type { PluginConfig } from '../config/schema.js';
import type { PluginContext } from '../hooks/context.js';
import type { HookName } from '../hooks/hook-names.js';
import type { HookPayload, HookResultPayload } from '../hooks/payloads.js';
import type { PluginResult } from '../hooks/result.js';
import type { PluginLogger } from '../util/logger.js';

/** A value or a promise of it; hooks that need no I/O may answer synchronously (cheaper). */
export type MaybePromise<T> = T | Promise<T>;

/** Handler of hook `H`. Treat `payload` as read-only; return a `modifiedPayload` to change it. */
export type HookHandler<H extends HookName> = (
  payload: HookPayload<H>,
  context: PluginContext,
) => MaybePromise<PluginResult<HookResultPayload<H>>>;

/** Handlers of the hooks a plugin implements. */
export type HookHandlers = { [H in HookName]?: HookHandler<H> };

/** A plugin instance. */
export interface Plugin {
  /** Instance name (the YAML `name`). */
  readonly name: string;
  /** The hooks this plugin implements. */
  readonly hooks: HookHandlers;
  /** Called once before the first hook (connect, warm caches). Errors fail loading. */
  initialize?(): MaybePromise<void>;
  /** Called when the plugin is removed (reload) or the manager shuts down. */
  shutdown?(): MaybePromise<void>;
}

/** What a factory receives. */
export interface PluginInit<C = Record<string, unknown>> {
  /** Instance name. */
  name: string;
  /** The entry's `config` block (validate it; see `parsePluginConfig`). */
  config: C;
  /** The whole validated YAML entry. */
  entry: PluginConfig;
  /** Logger scoped to this plugin. */
  logger: PluginLogger;
  /** Directory of the YAML file (to resolve relative paths in the plugin's config). */
  configDir: string;
}

/** Builds a plugin from its YAML entry; the module named by `kind` exports it as `createPlugin`. */
export type PluginFactory = (init: PluginInit) => MaybePromise<Plugin>;

/** Static description a plugin package exports as `manifest` (used by `mcpplugins list`). */
export interface PluginManifest {
  /** npm package name. */
  name: string;
  description: string;
  /** Hooks the plugin implements. */
  availableHooks: HookName[];
  /** Defaults of its `config` block (CPEX `default_configs`). */
  defaultConfig: Record<string, unknown>;
  tags?: string[];
}

/**
 * The shape of a plugin module (what `kind` resolves to): `createPlugin` is required, the rest is
 * used by tooling (`mcpplugins validate` checks `config` blocks against `configSchema`).
 */
export interface PluginModule {
  createPlugin: PluginFactory;
  manifest?: PluginManifest;
  /** A zod-like schema with `safeParse`, for validating the `config` block without instantiating. */
  configSchema?: { safeParse(value: unknown): { success: boolean; error?: unknown } };
  /** JSON Schema of the `config` block. */
  configJsonSchema?: Record<string, unknown>;
}

/** Identity helper that type-checks a plugin literal. */
export function definePlugin(plugin: Plugin): Plugin {
  return plugin;
}
