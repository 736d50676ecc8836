/**
 * The plugin manager: loads a ContextForge-compatible configuration, instantiates plugins, runs
 * hooks, reloads without dropping requests, switches modes at runtime and reports metrics.
 *
 * Integration in one screen (details in the package README):
 * ```ts
 * const plugins = await PluginManager.fromFile('plugins/config.yaml', { logger });
 * const pre = await plugins.invokeHook('tool_pre_invoke', { name, args }, gctx);
 * if (!pre.continueProcessing) throw new PluginViolationError(pre.violation!, 'tool_pre_invoke');
 * const result = await callTool(pre.payload.args);
 * const post = await plugins.invokeHook('tool_post_invoke', { name, result }, gctx, pre.contexts);
 * ```
 */
import { EventEmitter } from 'node:events';
import { loadPluginsConfig } from '../config/load-config.js';
import type { PluginMode } from '../config/modes.js';
import { isPluginMode, PLUGIN_MODES } from '../config/modes.js';
import { parsePluginsConfig } from '../config/parse-config.js';
import type { PluginsConfig } from '../config/schema.js';
import { PluginError } from '../errors.js';
import type { GlobalContext, PluginContext, PluginContextTable } from '../hooks/context.js';
import type { HookName } from '../hooks/hook-names.js';
import type { HookPayload } from '../hooks/payloads.js';
import type { PluginResult } from '../hooks/result.js';
import type { PluginFactory, PluginModule } from '../plugin/plugin.js';
import { createConsoleLogger, type PluginLogger } from '../util/logger.js';
import { callPlugin } from './call-plugin.js';
import { watchConfigFile } from './config-watcher.js';
import { type ExecutorEnv, executeHook } from './hook-executor.js';
import type { HookOutcome } from './hook-outcome.js';
import { instantiate } from './instantiate.js';
import { describePlugin, type PluginInfo } from './plugin-info.js';
import { PluginRef } from './plugin-ref.js';
import { planReload, type ReloadReport } from './reload-plan.js';
import { Snapshot } from './snapshot.js';

export type { ReloadReport };

/** Options of a plugin manager. */
export interface PluginManagerOptions {
  /** A validated configuration (or use `configPath` / `PluginManager.fromFile`). */
  config?: PluginsConfig;
  /** YAML file to load (and to re-read on `reload()` / `watch()`). */
  configPath?: string;
  /** Factories or modules by kind, checked before any module lookup (embedders, tests, bundles). */
  factories?: Readonly<Record<string, PluginFactory | PluginModule>>;
  /** Extra directories to resolve npm plugin packages from. */
  resolvePaths?: readonly string[];
  logger?: PluginLogger;
  /** Environment for templates, `PLUGINS_CLIENT_MTLS_*` and stdio plugin processes. */
  env?: NodeJS.ProcessEnv;
  /** How long a reload waits for in-flight requests before shutting removed plugins down (ms). */
  drainTimeoutMs?: number;
}

/** Events: `reloaded` (ReloadReport), `reloadFailed` (Error), `modeChanged`, `pluginDisabled`. */
export class PluginManager extends EventEmitter {
  private snapshot = new Snapshot([]);
  private current: PluginsConfig;
  private readonly logger: PluginLogger;
  private readonly background = new Set<Promise<unknown>>();
  private readonly executorEnv: ExecutorEnv;
  private reloading: Promise<ReloadReport> | undefined;
  private stopWatching: (() => void) | undefined;
  private closed = false;

  /** Creates a manager; call `initialize()` (or use `fromFile`). */
  constructor(private readonly options: PluginManagerOptions = {}) {
    super();
    this.logger = options.logger ?? createConsoleLogger('warn', { component: 'plugins' });
    this.current = options.config ?? parsePluginsConfig({ plugins: [] });
    this.executorEnv = {
      settings: this.current.settings,
      logger: this.logger,
      onDisable: (ref, error) => this.disableAfterError(ref, error),
      track: (work) => {
        this.background.add(work);
        void work.finally(() => this.background.delete(work));
      },
    };
  }

  /** Loads `path`, instantiates and initializes every enabled plugin. */
  static async fromFile(
    path: string,
    options: Omit<PluginManagerOptions, 'configPath' | 'config'> = {},
  ): Promise<PluginManager> {
    const manager = new PluginManager({ ...options, configPath: path });
    await manager.initialize();
    return manager;
  }

  /** The configuration in force. */
  get config(): PluginsConfig {
    return this.current;
  }

  /**
   * Loads the configuration (from `configPath` when given) and initializes plugins.
   *
   * @throws PluginConfigError / PluginError when the file is invalid or a plugin cannot load
   */
  async initialize(): Promise<void> {
    if (this.options.configPath) this.current = await loadPluginsConfig(this.options.configPath, this.env);
    this.executorEnv.settings = this.current.settings;
    const refs = this.current.plugins.map(
      (entry, i) => new PluginRef(entry, i, this.current.settings.plugin_timeout * 1000),
    );
    await this.instantiateAll(refs);
    this.snapshot = new Snapshot(refs);
  }

  private get env(): NodeJS.ProcessEnv {
    return this.options.env ?? process.env;
  }

  /** Whether any enabled plugin listens to `hook` (lets callers skip building payloads). */
  hasHooks(hook: HookName): boolean {
    return this.snapshot.forHook(hook).some((ref) => ref.mode !== 'disabled');
  }

  /**
   * Runs `hook` through every plugin registered for it.
   *
   * @param contexts the table returned by the matching pre hook (post hooks), else omitted
   * @returns the outcome; `continueProcessing: false` carries the violation to answer with
   * @throws PluginExecutionError / PluginTimeoutError from a plugin with `on_error: fail`
   */
  async invokeHook<H extends HookName>(
    hook: H,
    payload: HookPayload<H>,
    globalContext: GlobalContext,
    contexts?: PluginContextTable,
  ): Promise<HookOutcome<H>> {
    const snapshot = this.snapshot;
    const refs = snapshot.forHook(hook);
    const table = contexts ?? new Map<string, PluginContext>();
    if (refs.length === 0) {
      return { continueProcessing: true, payload, modified: false, metadata: {}, contexts: table };
    }
    snapshot.inflight++;
    try {
      return (await executeHook(
        this.executorEnv,
        refs,
        hook,
        payload,
        globalContext,
        table,
      )) as HookOutcome<H>;
    } finally {
      snapshot.release();
    }
  }

  /**
   * Runs one plugin's hook alone (what an external plugin server does for `invoke_hook`), with its
   * timeout; errors are thrown whatever `on_error` says (the calling gateway applies its own).
   */
  async invokePlugin(
    name: string,
    hook: HookName,
    payload: unknown,
    context: PluginContext,
  ): Promise<PluginResult> {
    const ref = this.requireRef(name);
    if (!ref.instance) await this.ensureInstance(ref);
    if (!ref.instance?.hooks[hook]) {
      throw new PluginError(
        'PLUGIN_NOT_FOUND',
        `plugin "${name}" does not implement ${hook} (it implements ${ref.hooks.join(', ') || 'nothing'})`,
        {
          pluginName: name,
          hook,
        },
      );
    }
    const call = await callPlugin(ref, hook, payload, context);
    if (!call.ok) {
      ref.stats.record(hook, call.durationMs, call.error.code === 'PLUGIN_TIMEOUT' ? 'timeout' : 'error');
      ref.stats.error(hook, call.error.message);
      throw call.error;
    }
    const r = call.result;
    ref.stats.record(
      hook,
      call.durationMs,
      r.violation || r.continueProcessing === false
        ? 'violation'
        : r.modifiedPayload !== undefined
          ? 'modified'
          : 'ok',
    );
    return r.violation ? { ...r, violation: { ...r.violation, pluginName: name } } : r;
  }

  /** Every configured plugin, in file order, with its stats. */
  listPlugins(): PluginInfo[] {
    return this.snapshot.refs.map(describePlugin);
  }

  /** One plugin, or `undefined`. */
  getPlugin(name: string): PluginInfo | undefined {
    const ref = this.snapshot.refs.find((r) => r.name === name);
    return ref ? describePlugin(ref) : undefined;
  }

  /**
   * Switches a plugin's mode at runtime (instantiating it first when it was configured
   * `disabled`). The override survives reloads while the plugin's YAML entry is unchanged.
   *
   * @throws PluginError `PLUGIN_NOT_FOUND` for an unknown name, `PLUGIN_CONFIG_INVALID` for a bad mode
   */
  async setMode(
    name: string,
    mode: PluginMode | 'enforce' | 'permissive' | 'enforce_ignore_error',
  ): Promise<PluginInfo> {
    const mapped =
      mode === 'enforce' || mode === 'enforce_ignore_error'
        ? 'sequential'
        : mode === 'permissive'
          ? 'transform'
          : mode;
    if (!isPluginMode(mapped)) {
      throw new PluginError(
        'PLUGIN_CONFIG_INVALID',
        `mode must be one of ${PLUGIN_MODES.join(', ')}; received ${JSON.stringify(mode)}`,
        {
          pluginName: name,
        },
      );
    }
    const ref = this.requireRef(name);
    const previous = ref.mode;
    if (mapped !== 'disabled') await this.ensureInstance(ref);
    ref.modeOverride = mapped;
    ref.disabledReason = undefined;
    this.snapshot = new Snapshot(this.snapshot.refs);
    this.emit('modeChanged', { name, mode: mapped, previous });
    return describePlugin(ref);
  }

  /** Drops a runtime mode override (back to the YAML mode) and clears an `on_error: disable`. */
  async resetMode(name: string): Promise<PluginInfo> {
    const ref = this.requireRef(name);
    const previous = ref.mode;
    if (ref.entry.mode !== 'disabled') await this.ensureInstance(ref);
    ref.modeOverride = undefined;
    ref.disabledReason = undefined;
    this.snapshot = new Snapshot(this.snapshot.refs);
    this.emit('modeChanged', { name, mode: ref.mode, previous });
    return describePlugin(ref);
  }

  /**
   * Re-reads the configuration (or takes `config`) and swaps it in without dropping requests:
   * unchanged entries keep their instance, stats and mode override; new ones are initialized before
   * the swap; removed ones are shut down once in-flight requests finished. A failing reload leaves
   * the running configuration untouched.
   */
  async reload(config?: PluginsConfig): Promise<ReloadReport> {
    const previous = this.reloading ?? Promise.resolve();
    const run = previous.catch(() => {}).then(() => this.doReload(config));
    this.reloading = run;
    try {
      const report = await run;
      this.emit('reloaded', report);
      return report;
    } catch (error) {
      this.emit('reloadFailed', error);
      throw error;
    } finally {
      if (this.reloading === run) this.reloading = undefined;
    }
  }

  private async doReload(config?: PluginsConfig): Promise<ReloadReport> {
    const next =
      config ??
      (this.options.configPath ? await loadPluginsConfig(this.options.configPath, this.env) : this.current);
    const old = this.snapshot;
    const plan = planReload(old.refs, next);
    await this.instantiateAll(plan.fresh);
    this.current = next;
    this.executorEnv.settings = next.settings;
    this.snapshot = new Snapshot(plan.refs);
    void old.drain(this.options.drainTimeoutMs ?? 30_000).then(() => this.shutdownRefs(plan.retired));
    return plan.report;
  }

  /** Re-reads the YAML file when it changes (debounced); failures keep the running configuration. */
  watch(options: { debounceMs?: number } = {}): () => void {
    const path = this.options.configPath;
    if (!path)
      throw new PluginError('PLUGIN_CONFIG_INVALID', 'watch() needs a manager created with configPath');
    this.stopWatching?.();
    this.stopWatching = watchConfigFile(path, options.debounceMs ?? 200, () => {
      this.reload().catch((error: Error) =>
        this.logger.error('plugin configuration reload failed', { error: error.message }),
      );
    });
    return () => {
      this.stopWatching?.();
      this.stopWatching = undefined;
    };
  }

  /** Stops watching, waits for background work and shuts every plugin down. */
  async shutdown(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stopWatching?.();
    await this.reloading?.catch(() => {});
    await Promise.allSettled([...this.background]);
    const refs = this.snapshot.refs;
    this.snapshot = new Snapshot([]);
    await this.shutdownRefs(refs);
  }

  private requireRef(name: string): PluginRef {
    const ref = this.snapshot.refs.find((r) => r.name === name);
    if (!ref) {
      throw new PluginError(
        'PLUGIN_NOT_FOUND',
        `no plugin named "${name}" (configured: ${this.snapshot.refs.map((r) => r.name).join(', ') || 'none'})`,
        { pluginName: name },
      );
    }
    return ref;
  }

  private async instantiateAll(refs: PluginRef[]): Promise<void> {
    const created: PluginRef[] = [];
    try {
      for (const ref of refs) {
        if (ref.entry.mode === 'disabled') {
          ref.hooks = [...ref.entry.hooks];
          continue;
        }
        await this.ensureInstance(ref);
        created.push(ref);
      }
    } catch (error) {
      await this.shutdownRefs(created);
      throw error;
    }
  }

  private async ensureInstance(ref: PluginRef): Promise<void> {
    if (ref.instance) return;
    const result = await instantiate(ref.entry, {
      baseDir: this.current.baseDir,
      factories: this.options.factories,
      resolvePaths: this.options.resolvePaths,
      logger: this.logger,
      env: this.env,
      connectTimeoutMs: Math.min(ref.timeoutMs, 30_000),
    });
    ref.instance = result.plugin;
    ref.hooks = result.hooks;
    ref.remote = result.remote;
  }

  private disableAfterError(ref: PluginRef, error: Error): void {
    if (ref.disabledReason !== undefined) return;
    ref.disabledReason = error.message;
    this.snapshot = new Snapshot(this.snapshot.refs);
    this.emit('pluginDisabled', { name: ref.name, error: error.message });
  }

  private async shutdownRefs(refs: readonly PluginRef[]): Promise<void> {
    await Promise.allSettled(
      refs.map(async (ref) => {
        const instance = ref.instance;
        ref.instance = undefined;
        try {
          await instance?.shutdown?.();
        } catch (error) {
          this.logger.warn('plugin shutdown failed', { plugin: ref.name, error: (error as Error).message });
        }
      }),
    );
  }
}
