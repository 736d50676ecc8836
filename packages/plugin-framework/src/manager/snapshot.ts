/**
 * An immutable view of the loaded plugins: per hook, the plugins in execution order. Requests run
 * against the snapshot they started with; reloads and mode switches install a new one, and the old
 * one drains (its in-flight counter reaches zero) before removed plugins are shut down.
 */
import { MODE_PHASE } from '../config/modes.js';
import type { HookName } from '../hooks/hook-names.js';
import type { PluginRef } from './plugin-ref.js';

/** Plugins of one configuration generation. */
export class Snapshot {
  /** Requests currently running against this snapshot. */
  inflight = 0;
  private readonly byHook = new Map<HookName, PluginRef[]>();
  private drained: (() => void) | undefined;

  /** @param refs every configured plugin, in file order */
  constructor(readonly refs: readonly PluginRef[]) {
    for (const ref of refs) {
      for (const hook of ref.hooks) {
        let list = this.byHook.get(hook);
        if (!list) {
          list = [];
          this.byHook.set(hook, list);
        }
        list.push(ref);
      }
    }
    for (const list of this.byHook.values()) {
      list.sort(
        (a, b) =>
          MODE_PHASE[a.mode] - MODE_PHASE[b.mode] || a.entry.priority - b.entry.priority || a.index - b.index,
      );
    }
  }

  /** Plugins registered for `hook`, in execution order (empty array when none). */
  forHook(hook: HookName): readonly PluginRef[] {
    return this.byHook.get(hook) ?? EMPTY;
  }

  /** Marks one request finished. */
  release(): void {
    this.inflight--;
    if (this.inflight === 0 && this.drained) this.drained();
  }

  /** Resolves when no request runs against this snapshot any more (or after `timeoutMs`). */
  drain(timeoutMs: number): Promise<void> {
    if (this.inflight === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      timer.unref();
      this.drained = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}

const EMPTY: readonly PluginRef[] = Object.freeze([]);
