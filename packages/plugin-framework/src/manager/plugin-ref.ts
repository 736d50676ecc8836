/**
 * A loaded plugin as the manager sees it: its YAML entry, its instance (created lazily for
 * plugins configured `disabled`), the effective mode (runtime override > YAML), its compiled
 * conditions and its metrics.
 */
import type { PluginConfig, PluginMode } from '../config/schema.js';
import type { HookName } from '../hooks/hook-names.js';
import type { Plugin } from '../plugin/plugin.js';
import { type ConditionMatcher, compileConditions } from './conditions.js';
import { PluginStats } from './plugin-stats.js';

/** Runtime state of one configured plugin. */
export class PluginRef {
  /** The instance; `undefined` until first enabled (disabled plugins are not instantiated). */
  instance: Plugin | undefined;
  /** Hooks the plugin takes part in (from YAML, else everything it implements / the remote says). */
  hooks: HookName[] = [];
  /** Runtime mode override (admin API), kept across reloads while the entry is unchanged. */
  modeOverride: PluginMode | undefined;
  /** Set when `on_error: disable` switched the plugin off. */
  disabledReason: string | undefined;
  /** Extra descriptive fields learned at load time (external plugins report theirs). */
  remote: Partial<Pick<PluginConfig, 'description' | 'author' | 'version' | 'tags'>> = {};
  readonly stats = new PluginStats();
  readonly matcher: ConditionMatcher | undefined;
  /** Order in the YAML file; ties on priority keep it. */
  readonly index: number;
  /** Canonical JSON of the entry, to tell unchanged entries apart on reload. */
  readonly fingerprint: string;

  /**
   * @param entry the validated YAML entry
   * @param index its position in the file
   * @param defaultTimeoutMs `plugin_settings.plugin_timeout` in ms
   */
  constructor(
    readonly entry: PluginConfig,
    index: number,
    private readonly defaultTimeoutMs: number,
  ) {
    this.index = index;
    this.matcher = compileConditions(entry.conditions);
    this.fingerprint = JSON.stringify(entry);
  }

  /** Instance name. */
  get name(): string {
    return this.entry.name;
  }

  /** The mode in force: disabled after an `on_error: disable`, else the override, else the YAML. */
  get mode(): PluginMode {
    if (this.disabledReason !== undefined) return 'disabled';
    return this.modeOverride ?? this.entry.mode;
  }

  /** Timeout of one hook call in ms. */
  get timeoutMs(): number {
    return this.entry.timeout !== undefined ? this.entry.timeout * 1000 : this.defaultTimeoutMs;
  }

  /** Whether it is an external (MCP) plugin. */
  get external(): boolean {
    return this.entry.kind === 'external';
  }
}
