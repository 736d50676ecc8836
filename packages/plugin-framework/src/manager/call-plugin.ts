/**
 * Runs one plugin hook with its timeout. Synchronous answers skip the timer entirely (the hot path
 * for CPU-only plugins such as the PII filter); asynchronous ones race a timer that also aborts the
 * context's signal.
 */
import { errorMessage, PluginExecutionError, PluginTimeoutError } from '../errors.js';
import type { PluginContext } from '../hooks/context.js';
import type { HookName } from '../hooks/hook-names.js';
import type { PluginResult } from '../hooks/result.js';
import type { HookHandler } from '../plugin/plugin.js';
import type { PluginRef } from './plugin-ref.js';
import { RequestPluginContext } from './request-context.js';

/** The answer of one call: a result, or the error (already typed) it failed with. */
export type CallOutcome =
  | { ok: true; result: PluginResult; durationMs: number }
  | { ok: false; error: PluginExecutionError | PluginTimeoutError; durationMs: number };

/** Calls `ref`'s handler for `hook`; never throws. */
export async function callPlugin(
  ref: PluginRef,
  hook: HookName,
  payload: unknown,
  context: PluginContext,
): Promise<CallOutcome> {
  const start = performance.now();
  const handler = ref.instance?.hooks[hook] as HookHandler<HookName> | undefined;
  if (!handler) {
    return failure(ref, hook, new Error(`plugin does not implement ${hook}`), start);
  }
  if (context instanceof RequestPluginContext) context.beginCall();
  let value: unknown;
  try {
    value = handler(payload as never, context);
  } catch (error) {
    return failure(ref, hook, error, start);
  }
  // Any thenable counts (plugins may return promises from another realm or library).
  if (typeof (value as { then?: unknown } | null)?.then === 'function') {
    let timer: NodeJS.Timeout | undefined;
    try {
      value = await Promise.race([
        value as PromiseLike<unknown>,
        new Promise((_resolve, reject) => {
          timer = setTimeout(() => {
            const error = new PluginTimeoutError(ref.name, hook, ref.timeoutMs);
            if (context instanceof RequestPluginContext) context.abort(error);
            reject(error);
          }, ref.timeoutMs);
        }),
      ]);
    } catch (error) {
      if (error instanceof PluginTimeoutError)
        return { ok: false, error, durationMs: performance.now() - start };
      return failure(ref, hook, error, start);
    } finally {
      clearTimeout(timer);
    }
  }
  if (value === undefined || value === null)
    return { ok: true, result: {}, durationMs: performance.now() - start };
  if (typeof value !== 'object') {
    return failure(ref, hook, new Error(`returned ${typeof value}, expected a PluginResult object`), start);
  }
  return { ok: true, result: value as PluginResult, durationMs: performance.now() - start };
}

function failure(ref: PluginRef, hook: HookName, cause: unknown, start: number): CallOutcome {
  const error =
    cause instanceof PluginExecutionError
      ? cause
      : new PluginExecutionError(
          'PLUGIN_EXECUTION_FAILED',
          `plugin "${ref.name}" failed in ${hook}: ${errorMessage(cause)}`,
          {
            pluginName: ref.name,
            hook,
            cause,
          },
        );
  return { ok: false, error, durationMs: performance.now() - start };
}
