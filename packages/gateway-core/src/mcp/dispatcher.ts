import { invalidParams, McpError, methodNotFound } from './errors.js';
import { ErrorCode, LOG_LEVELS } from './protocol.js';
import { validateWithSdk } from './sdk-validation.js';
import type { ServerInfoCache } from './server-info-cache.js';
import type { McpBackend, RequestContext } from './types.js';

/** Session operations some legacy methods need (logging/setLevel, resources/(un)subscribe). */
export interface SessionOps {
  setLogLevel(level: string): Promise<void>;
  subscribe(uri: string): Promise<void>;
  unsubscribe(uri: string): Promise<void>;
}

/** What dispatch needs besides the request itself. */
export interface DispatchEnv {
  backend: McpBackend;
  serverInfo: ServerInfoCache;
  /** True for 2026-07-28 requests: legacy-only methods are unknown there (2026-07-28 changelog §5). */
  modern: boolean;
  /** Present for session-based requests. */
  session?: SessionOps;
}

type Params = Record<string, unknown> | undefined;

function optionalString(params: Params, field: string, method: string): string | undefined {
  const v = params?.[field];
  if (v === undefined) return undefined;
  if (typeof v !== 'string')
    throw invalidParams(`${method}: params.${field} must be a string, got ${typeof v}`);
  return v;
}

function requiredString(params: Params, field: string, method: string): string {
  const v = params?.[field];
  if (typeof v !== 'string') {
    throw invalidParams(
      `${method}: params.${field} is required and must be a string, got ${v === undefined ? 'nothing' : typeof v}`,
    );
  }
  return v;
}

function optionalObject(params: Params, field: string, method: string): Record<string, unknown> | undefined {
  const v = params?.[field];
  if (v === undefined) return undefined;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw invalidParams(`${method}: params.${field} must be an object`);
  }
  return v as Record<string, unknown>;
}

function requireCapability(
  env: DispatchEnv,
  ctx: RequestContext,
  capability: string,
  method: string,
): void | Promise<void> {
  // Synchronous when the description is cached (the hot path): no await per call.
  const cached = env.serverInfo.peek(ctx.scope);
  if (cached !== undefined) {
    if (cached.capabilities[capability] === undefined) throw methodNotFound(method);
    return;
  }
  return env.serverInfo.get(ctx.scope).then((desc) => {
    if (desc.capabilities[capability] === undefined) throw methodNotFound(method);
  });
}

/** Every method the dispatcher serves, for `Allow`-style answers and tests. */
export const DISPATCHED_METHODS: readonly string[] = [
  'tools/list',
  'tools/call',
  'resources/list',
  'resources/read',
  'resources/templates/list',
  'prompts/list',
  'prompts/get',
  'completion/complete',
  'ping',
  'logging/setLevel',
  'resources/subscribe',
  'resources/unsubscribe',
];

/**
 * Routes one request to the backend and returns its raw result (era-specific decoration happens
 * in `shapeResult`). Lifecycle and stream methods (`initialize`, `server/discover`,
 * `subscriptions/listen`) are handled by the transports before this point.
 *
 * @throws McpError -32601 for unknown methods or capabilities the server does not offer, -32602
 *   for malformed params; backend errors propagate unchanged.
 */
export async function dispatch(
  method: string,
  params: Params,
  ctx: RequestContext,
  env: DispatchEnv,
): Promise<object> {
  const { backend } = env;
  switch (method) {
    case 'tools/call': {
      // Hot path: one cached capability lookup and two typeof checks, no schema parse.
      const gate = requireCapability(env, ctx, 'tools', method);
      if (gate !== undefined) await gate;
      const name = requiredString(params, 'name', method);
      const args = optionalObject(params, 'arguments', method);
      return backend.callTool(ctx, name, args ?? {});
    }
    case 'tools/list':
      await requireCapability(env, ctx, 'tools', method);
      return backend.listTools(ctx, optionalString(params, 'cursor', method));
    case 'resources/list':
      await requireCapability(env, ctx, 'resources', method);
      return backend.listResources(ctx, optionalString(params, 'cursor', method));
    case 'resources/templates/list':
      await requireCapability(env, ctx, 'resources', method);
      return backend.listResourceTemplates(ctx, optionalString(params, 'cursor', method));
    case 'resources/read':
      await requireCapability(env, ctx, 'resources', method);
      return backend.readResource(ctx, requiredString(params, 'uri', method));
    case 'prompts/list':
      await requireCapability(env, ctx, 'prompts', method);
      return backend.listPrompts(ctx, optionalString(params, 'cursor', method));
    case 'prompts/get': {
      await requireCapability(env, ctx, 'prompts', method);
      const name = requiredString(params, 'name', method);
      const args = optionalObject(params, 'arguments', method);
      if (args !== undefined) {
        for (const [k, v] of Object.entries(args)) {
          if (typeof v !== 'string')
            throw invalidParams(`prompts/get: params.arguments.${k} must be a string`);
        }
      }
      return backend.getPrompt(ctx, name, args as Record<string, string> | undefined);
    }
    case 'completion/complete': {
      if (backend.complete === undefined) throw methodNotFound(method);
      const rest = stripMeta(params);
      validateWithSdk(method, rest);
      return backend.complete(ctx, rest);
    }
    default:
      if (!env.modern) return dispatchLegacyOnly(method, params, ctx, env);
      throw methodNotFound(method);
  }
}

async function dispatchLegacyOnly(
  method: string,
  params: Params,
  ctx: RequestContext,
  env: DispatchEnv,
): Promise<object> {
  switch (method) {
    case 'ping':
      return {};
    case 'logging/setLevel': {
      const level = requiredString(params, 'level', method);
      if (!LOG_LEVELS.includes(level)) {
        throw invalidParams(
          `logging/setLevel: unknown level ${JSON.stringify(level)}; expected one of ${LOG_LEVELS.join(', ')}`,
        );
      }
      await env.session?.setLogLevel(level);
      await env.backend.setLogLevel?.(ctx, level);
      return {};
    }
    case 'resources/subscribe':
    case 'resources/unsubscribe': {
      await requireCapability(env, ctx, 'resources', method);
      const uri = requiredString(params, 'uri', method);
      if (env.session === undefined) {
        throw new McpError(
          ErrorCode.InvalidRequest,
          `${method} needs a session to deliver notifications/resources/updated to`,
        );
      }
      if (method === 'resources/subscribe') {
        await env.backend.subscribeResource?.(ctx, uri);
        await env.session.subscribe(uri);
      } else {
        await env.backend.unsubscribeResource?.(ctx, uri);
        await env.session.unsubscribe(uri);
      }
      return {};
    }
    default:
      throw methodNotFound(method);
  }
}

function stripMeta(params: Params): Record<string, unknown> {
  if (params === undefined) return {};
  if (params._meta === undefined) return params;
  const { _meta, ...rest } = params;
  return rest;
}
