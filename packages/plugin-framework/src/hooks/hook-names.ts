/**
 * The hook points the gateway calls, with ContextForge's (CPEX) names so plugin YAML carries over.
 *
 * Order here is the order a request meets them; it is also the order `mcpplugins` lists them in.
 */
export const HOOK_NAMES = [
  'http_pre_request',
  'http_auth_resolve_user',
  'http_auth_check_permission',
  'tool_pre_invoke',
  'tool_post_invoke',
  'prompt_pre_fetch',
  'prompt_post_fetch',
  'resource_pre_fetch',
  'resource_post_fetch',
  'agent_pre_invoke',
  'agent_post_invoke',
  'http_post_request',
] as const;

/** One of the twelve hook point names. */
export type HookName = (typeof HOOK_NAMES)[number];

const HOOK_SET: ReadonlySet<string> = new Set(HOOK_NAMES);

/** Whether `value` is a known hook name (type guard). */
export function isHookName(value: unknown): value is HookName {
  return typeof value === 'string' && HOOK_SET.has(value);
}

/** What a hook's payload is about; conditions (`tools`, `prompts`, …) only apply to their own kind. */
export type HookSubject = 'tool' | 'prompt' | 'resource' | 'agent' | 'http';

/** The subject of each hook. */
export const HOOK_SUBJECT: Readonly<Record<HookName, HookSubject>> = {
  http_pre_request: 'http',
  http_auth_resolve_user: 'http',
  http_auth_check_permission: 'http',
  http_post_request: 'http',
  tool_pre_invoke: 'tool',
  tool_post_invoke: 'tool',
  prompt_pre_fetch: 'prompt',
  prompt_post_fetch: 'prompt',
  resource_pre_fetch: 'resource',
  resource_post_fetch: 'resource',
  agent_pre_invoke: 'agent',
  agent_post_invoke: 'agent',
};
