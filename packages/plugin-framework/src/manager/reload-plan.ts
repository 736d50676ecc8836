/**
 * Plans a reload: which plugins keep running (entry unchanged: same instance, stats and mode
 * override), which start (new or changed) and which retire once in-flight requests are done.
 */
import type { PluginsConfig } from '../config/schema.js';
import { PluginRef } from './plugin-ref.js';

/** What changed in a reload, by plugin name. */
export interface ReloadReport {
  added: string[];
  removed: string[];
  restarted: string[];
  kept: string[];
}

/** The plan for one reload. */
export interface ReloadPlan {
  /** The new configuration's plugins, in file order (kept ones are the old objects). */
  refs: PluginRef[];
  /** New or changed plugins, to instantiate before the swap. */
  fresh: PluginRef[];
  /** Old plugins to shut down after the swap. */
  retired: PluginRef[];
  report: ReloadReport;
}

/** Compares `current` with `next` entry by entry (canonical JSON of the validated entry). */
export function planReload(current: readonly PluginRef[], next: PluginsConfig): ReloadPlan {
  const byName = new Map(current.map((r) => [r.name, r]));
  const report: ReloadReport = { added: [], removed: [], restarted: [], kept: [] };
  const fresh: PluginRef[] = [];
  const refs = next.plugins.map((entry, i) => {
    const existing = byName.get(entry.name);
    const ref = new PluginRef(entry, i, next.settings.plugin_timeout * 1000);
    if (existing && existing.fingerprint === ref.fingerprint && existing.timeoutMs === ref.timeoutMs) {
      report.kept.push(entry.name);
      byName.delete(entry.name);
      return existing;
    }
    (existing ? report.restarted : report.added).push(entry.name);
    fresh.push(ref);
    return ref;
  });
  report.removed = [...byName.keys()].filter((n) => !report.restarted.includes(n));
  return { refs, fresh, retired: [...byName.values()], report };
}
