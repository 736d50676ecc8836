/**
 * Runs one hook through the plugins registered for it, in phase order (sequential → transform →
 * audit → concurrent → fire_and_forget) and priority order inside a phase, applying each mode's
 * rules and each plugin's `on_error` policy.
 */
import type { PluginSettings } from '../config/schema.js';
import type { PluginExecutionError, PluginTimeoutError } from '../errors.js';
import type { GlobalContext, PluginContextTable } from '../hooks/context.js';
import type { HookName } from '../hooks/hook-names.js';
import type { PluginResult, PluginViolation } from '../hooks/result.js';
import type { PluginLogger } from '../util/logger.js';
import { applyModification, DECISION_HOOKS } from './apply-result.js';
import { callPlugin } from './call-plugin.js';
import type { HookOutcome } from './hook-outcome.js';
import type { PluginRef } from './plugin-ref.js';
import { contextFor } from './request-context.js';

/** What the executor needs from the manager. */
export interface ExecutorEnv {
  settings: PluginSettings;
  logger: PluginLogger;
  /** Called when `on_error: disable` switches a plugin off. */
  onDisable(ref: PluginRef, error: Error): void;
  /** Tracks background (fire_and_forget) work so shutdown can wait for it. */
  track(work: Promise<unknown>): void;
}

/** Runs `hook` over `refs` (already filtered to this hook and sorted). */
export async function executeHook(
  env: ExecutorEnv,
  refs: readonly PluginRef[],
  hook: HookName,
  payload: unknown,
  global: GlobalContext,
  contexts: PluginContextTable,
): Promise<HookOutcome> {
  const outcome: HookOutcome = {
    continueProcessing: true,
    payload: payload as never,
    modified: false,
    metadata: {},
    contexts,
  };
  let current = payload;
  let concurrent: PluginRef[] | undefined;
  let background: PluginRef[] | undefined;

  for (const ref of refs) {
    const mode = ref.mode;
    if (mode === 'disabled' || !ref.instance) continue;
    if (ref.matcher && !ref.matcher(hook, current, global)) {
      ref.stats.skip(hook);
      continue;
    }
    if (mode === 'concurrent') {
      concurrent ??= [];
      concurrent.push(ref);
      continue;
    }
    if (mode === 'fire_and_forget') {
      background ??= [];
      background.push(ref);
      continue;
    }
    const call = await callPlugin(ref, hook, current, contextFor(contexts, ref.name, global));
    if (!call.ok) {
      handleError(env, ref, hook, call.error, call.durationMs);
      continue;
    }
    const { result } = call;
    collectMetadata(outcome, ref, result);
    const violation = blockingViolation(ref, result);
    if (violation) {
      if (mode === 'sequential') {
        ref.stats.record(hook, call.durationMs, 'violation');
        return blocked(outcome, current, violation);
      }
      ref.stats.record(hook, call.durationMs, 'suppressed');
      env.logger.warn('plugin violation suppressed by mode', {
        plugin: ref.name,
        hook,
        mode,
        code: violation.code,
      });
    }
    if (result.modifiedPayload !== undefined && mode !== 'audit') {
      current = applyModification(hook, current, result.modifiedPayload);
      outcome.modified = true;
      // HTTP hooks return headers or a decision, not a payload: report what the plugin returned.
      outcome.modifiedPayload = (hook.startsWith('http_') ? result.modifiedPayload : current) as never;
      if (!violation) ref.stats.record(hook, call.durationMs, 'modified');
      if (DECISION_HOOKS.has(hook)) break;
    } else if (!violation) {
      ref.stats.record(hook, call.durationMs, 'ok');
    }
  }

  if (concurrent) {
    const violation = await runConcurrent(env, concurrent, hook, current, global, contexts, outcome);
    if (violation) return blocked(outcome, current, violation);
  }
  outcome.payload = current as never;
  if (background) runInBackground(env, background, hook, current, global);
  return outcome;
}

function blocked(outcome: HookOutcome, current: unknown, violation: PluginViolation): HookOutcome {
  outcome.continueProcessing = false;
  outcome.violation = violation;
  outcome.payload = current as never;
  return outcome;
}

/** The violation a result carries when it stops processing (a bare `continueProcessing: false` gets a generic one). */
function blockingViolation(ref: PluginRef, result: PluginResult): PluginViolation | undefined {
  if (result.continueProcessing !== false && !result.violation) return undefined;
  const violation: PluginViolation = result.violation ?? {
    reason: 'Request blocked',
    description: `plugin "${ref.name}" stopped processing without a violation`,
    code: 'PLUGIN_BLOCKED',
  };
  return { ...violation, pluginName: ref.name };
}

function collectMetadata(outcome: HookOutcome, ref: PluginRef, result: PluginResult): void {
  if (result.metadata && Object.keys(result.metadata).length > 0)
    outcome.metadata[ref.name] = result.metadata;
}

/** Applies `on_error`: fail rethrows, ignore logs, disable logs and switches the plugin off. */
function handleError(
  env: ExecutorEnv,
  ref: PluginRef,
  hook: HookName,
  error: PluginExecutionError | PluginTimeoutError,
  durationMs: number,
): void {
  ref.stats.record(hook, durationMs, error.code === 'PLUGIN_TIMEOUT' ? 'timeout' : 'error');
  ref.stats.error(hook, error.message);
  const policy = env.settings.fail_on_plugin_error ? 'fail' : ref.entry.on_error;
  if (policy === 'fail') throw error;
  env.logger.warn(`plugin error ignored (on_error: ${policy})`, {
    plugin: ref.name,
    hook,
    error: error.message,
  });
  if (policy === 'disable') env.onDisable(ref, error);
}

/** Concurrent phase: all in parallel on the same payload, first violation wins, modifications are dropped. */
async function runConcurrent(
  env: ExecutorEnv,
  refs: PluginRef[],
  hook: HookName,
  payload: unknown,
  global: GlobalContext,
  contexts: PluginContextTable,
  outcome: HookOutcome,
): Promise<PluginViolation | undefined> {
  return new Promise<PluginViolation | undefined>((resolve, reject) => {
    let pending = refs.length;
    let settled = false;
    const done = () => {
      if (--pending === 0 && !settled) {
        settled = true;
        resolve(undefined);
      }
    };
    for (const ref of refs) {
      callPlugin(ref, hook, payload, contextFor(contexts, ref.name, global)).then((call) => {
        if (settled) return;
        if (!call.ok) {
          try {
            handleError(env, ref, hook, call.error, call.durationMs);
          } catch (error) {
            settled = true;
            reject(error);
            return;
          }
          done();
          return;
        }
        collectMetadata(outcome, ref, call.result);
        const violation = blockingViolation(ref, call.result);
        ref.stats.record(hook, call.durationMs, violation ? 'violation' : 'ok');
        if (violation) {
          settled = true;
          resolve(violation);
          return;
        }
        done();
      }, reject);
    }
  });
}

/** fire_and_forget phase: isolated copies of the payload, results only logged. */
function runInBackground(
  env: ExecutorEnv,
  refs: PluginRef[],
  hook: HookName,
  payload: unknown,
  global: GlobalContext,
): void {
  for (const ref of refs) {
    let snapshot: unknown;
    try {
      snapshot = structuredClone(payload);
    } catch {
      snapshot = payload;
    }
    const context = contextFor(new Map(), ref.name, { ...global, state: { ...global.state } });
    env.track(
      callPlugin(ref, hook, snapshot, context).then((call) => {
        if (!call.ok) {
          ref.stats.record(hook, call.durationMs, call.error.code === 'PLUGIN_TIMEOUT' ? 'timeout' : 'error');
          ref.stats.error(hook, call.error.message);
          env.logger.warn('fire_and_forget plugin failed', {
            plugin: ref.name,
            hook,
            error: call.error.message,
          });
          if (ref.entry.on_error === 'disable') env.onDisable(ref, call.error);
          return;
        }
        const violation = blockingViolation(ref, call.result);
        ref.stats.record(hook, call.durationMs, violation ? 'suppressed' : 'ok');
      }),
    );
  }
}
