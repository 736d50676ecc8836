/** The per-plugin, per-request context with a lazily created abort signal (cheap when unused). */
import type { GlobalContext, PluginContext, PluginContextTable } from '../hooks/context.js';

/** `PluginContext` whose `signal` is created on first access and renewed for every call. */
export class RequestPluginContext implements PluginContext {
  state: Record<string, unknown> = {};
  metadata: Record<string, unknown> = {};
  private controller: AbortController | undefined;

  /** @param globalContext the request's shared context */
  constructor(public globalContext: GlobalContext) {}

  /** Aborted when the current call times out. */
  get signal(): AbortSignal {
    this.controller ??= new AbortController();
    return this.controller.signal;
  }

  /** Starts a new call: a fresh signal next time one is asked for. */
  beginCall(): void {
    this.controller = undefined;
  }

  /** Aborts the current call's signal (timeout). */
  abort(reason: Error): void {
    this.controller?.abort(reason);
  }
}

/** Returns the context of `name` in `table`, creating it (and keeping it for the post hook). */
export function contextFor(table: PluginContextTable, name: string, global: GlobalContext): PluginContext {
  let context = table.get(name);
  if (!context) {
    context = new RequestPluginContext(global);
    table.set(name, context);
  } else if (context.globalContext !== global) {
    // Post hooks may get a fresh global context object; keep the one the gateway passes now.
    context.globalContext = global;
  }
  return context;
}
