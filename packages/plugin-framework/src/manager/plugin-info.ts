/** The public description of a loaded plugin (`GET /v1/plugins`, `mcpplugins`, admin UI). */
import type { OnError, PluginCondition, PluginMode } from '../config/schema.js';
import type { HookName } from '../hooks/hook-names.js';
import type { PluginRef } from './plugin-ref.js';
import type { PluginStatsSnapshot } from './plugin-stats.js';

/** One plugin as listed by the manager. */
export interface PluginInfo {
  name: string;
  kind: string;
  description?: string;
  author?: string;
  version?: string;
  tags: string[];
  hooks: HookName[];
  /** Mode in force now. */
  mode: PluginMode;
  /** Mode written in the YAML. */
  configuredMode: PluginMode;
  /** Whether a runtime override is active. */
  modeOverridden: boolean;
  onError: OnError;
  priority: number;
  timeoutMs: number;
  conditions: PluginCondition[];
  external: boolean;
  /** Whether the plugin has been instantiated (disabled plugins are created on first enable). */
  loaded: boolean;
  /** Why `on_error: disable` switched it off. */
  disabledReason?: string;
  stats: PluginStatsSnapshot;
}

/** Builds the public description of `ref`. */
export function describePlugin(ref: PluginRef): PluginInfo {
  const e = ref.entry;
  const description = e.description ?? ref.remote.description;
  const author = e.author ?? ref.remote.author;
  const version = e.version ?? ref.remote.version;
  return {
    name: e.name,
    kind: e.kind,
    ...(description ? { description } : {}),
    ...(author ? { author } : {}),
    ...(version ? { version } : {}),
    tags: e.tags.length > 0 ? e.tags : (ref.remote.tags ?? []),
    hooks: ref.hooks.length > 0 ? [...ref.hooks] : [...e.hooks],
    mode: ref.mode,
    configuredMode: e.mode,
    modeOverridden: ref.modeOverride !== undefined,
    onError: e.on_error,
    priority: e.priority,
    timeoutMs: ref.timeoutMs,
    conditions: e.conditions,
    external: ref.external,
    loaded: ref.instance !== undefined,
    ...(ref.disabledReason ? { disabledReason: ref.disabledReason } : {}),
    stats: ref.stats.snapshot(),
  };
}
