import type {
  GlobalContext,
  HookName,
  HookOutcome,
  HookPayload,
  PluginContextTable,
  PluginManager,
} from '@contextforge/plugin-framework';
import type { InvokeInterceptor } from '../invoke/invoke-interceptor.js';
import type { RequestContext } from '../mcp/types.js';
import { globalContextOf, type TargetEntity } from './plugin-context.js';
import { badReplacement, hookFailure, violationError } from './plugin-errors.js';

/**
 * The hooks the gateway calls: the MCP hot path (here) and the HTTP middleware hooks (plugin-http-hooks.ts).
 * The auth and agent hooks are not wired yet.
 */
export const GATEWAY_HOOKS = [
  'http_pre_request',
  'http_post_request',
  'tool_pre_invoke',
  'tool_post_invoke',
  'prompt_pre_fetch',
  'prompt_post_fetch',
  'resource_pre_fetch',
  'resource_post_fetch',
] as const satisfies readonly HookName[];

/** One request's plugin state, from its pre hook to its post hook. */
interface RequestPlugins {
  global: GlobalContext;
  contexts: PluginContextTable;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The plugin manager as an {@link InvokeInterceptor}: each hook point builds ContextForge's payload
 * (`{ name, args }`, `{ name, result }`, `{ prompt_id, args }`, `{ uri, metadata }`, `{ uri, content }`),
 * runs the manager (modes, priorities, conditions, timeouts and `on_error` as the framework defines them),
 * refuses the request with the violation's JSON-RPC error, and hands back what plugins replaced. A hook no
 * enabled plugin listens to costs one lookup. The pre hook's global context and per-plugin contexts are
 * kept for the post hook of the same request, so a plugin sees its own `state` again.
 */
export function pluginInterceptor(manager: PluginManager): InvokeInterceptor {
  const requests = new WeakMap<RequestContext, RequestPlugins>();

  const stateOf = (ctx: RequestContext, entity: TargetEntity): RequestPlugins => {
    let state = requests.get(ctx);
    if (!state) {
      state = {
        global: globalContextOf(ctx, entity, manager.config.settings.include_user_info),
        contexts: new Map(),
      };
      requests.set(ctx, state);
    }
    return state;
  };

  /** Runs `hook`; undefined when nothing listens or nothing changed, else the resulting payload. */
  const run = async <H extends HookName>(
    hook: H,
    ctx: RequestContext,
    entity: TargetEntity,
    payload: HookPayload<H>,
  ): Promise<HookPayload<H> | undefined> => {
    if (!manager.hasHooks(hook)) return undefined;
    const state = stateOf(ctx, entity);
    let outcome: HookOutcome<H>;
    try {
      outcome = await manager.invokeHook(hook, payload, state.global, state.contexts);
    } catch (error) {
      throw hookFailure(error);
    }
    if (!outcome.continueProcessing) {
      throw violationError(
        outcome.violation ?? {
          reason: 'Request blocked',
          description: `a plugin stopped ${hook} without a violation`,
          code: 'PLUGIN_BLOCKED',
        },
      );
    }
    return outcome.modified ? outcome.payload : undefined;
  };

  return {
    name: 'plugins',

    async toolPreInvoke(ctx, { name, tool, args }) {
      const out = await run('tool_pre_invoke', ctx, tool, { name, args });
      if (out === undefined) return undefined;
      if (!isRecord(out.args)) throw badReplacement('tool arguments', 'an object', out.args);
      return { args: out.args };
    },

    async toolPostInvoke(ctx, { name, tool, result }) {
      const out = await run('tool_post_invoke', ctx, tool, { name, result });
      if (out === undefined) return undefined;
      if (!isRecord(out.result)) throw badReplacement('tool result', 'a CallToolResult object', out.result);
      return { result: out.result };
    },

    async promptPreFetch(ctx, { name, prompt, args }) {
      const out = await run('prompt_pre_fetch', ctx, prompt, { prompt_id: name, args });
      if (out === undefined) return undefined;
      if (!isRecord(out.args)) throw badReplacement('prompt arguments', 'an object', out.args);
      return { args: Object.fromEntries(Object.entries(out.args).map(([k, v]) => [k, String(v)])) };
    },

    async promptPostFetch(ctx, { name, prompt, result }) {
      const out = await run('prompt_post_fetch', ctx, prompt, { prompt_id: name, result });
      if (out === undefined) return undefined;
      if (!isRecord(out.result))
        throw badReplacement('prompt result', 'a GetPromptResult object', out.result);
      return { result: out.result };
    },

    async resourcePreFetch(ctx, { uri, resource }) {
      const out = await run('resource_pre_fetch', ctx, resource, { uri, metadata: {} });
      if (out === undefined) return undefined;
      if (typeof out.uri !== 'string' || out.uri.length === 0)
        throw badReplacement('resource URI', 'a non-empty string', out.uri);
      return { uri: out.uri };
    },

    async resourcePostFetch(ctx, { uri, resource, result }) {
      const out = await run('resource_post_fetch', ctx, resource, { uri, content: result });
      if (out === undefined) return undefined;
      if (!isRecord(out.content))
        throw badReplacement('resource result', 'a ReadResourceResult object', out.content);
      return { result: out.content };
    },
  };
}
