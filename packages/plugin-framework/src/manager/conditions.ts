/**
 * Compiled `conditions`: a plugin runs when any condition matches; inside one condition every
 * listed field must match. A field only constrains hooks of its subject (`tools` constrains tool
 * hooks, not prompt hooks); `server_ids`, `tenant_ids`, `user_patterns` and `content_types` apply to
 * every hook. Empty lists match everything (CPEX semantics).
 */
import type { PluginCondition } from '../config/schema.js';
import type { GlobalContext } from '../hooks/context.js';
import { HOOK_SUBJECT, type HookName } from '../hooks/hook-names.js';

interface CompiledCondition {
  serverIds?: ReadonlySet<string>;
  tenantIds?: ReadonlySet<string>;
  tools?: ReadonlySet<string>;
  prompts?: ReadonlySet<string>;
  resources?: ReadonlySet<string>;
  agents?: ReadonlySet<string>;
  users?: readonly RegExp[];
  contentTypes?: ReadonlySet<string>;
}

/** Decides whether a plugin applies to one hook call. */
export type ConditionMatcher = (hook: HookName, payload: unknown, context: GlobalContext) => boolean;

const nonEmptySet = (list?: string[]) => (list && list.length > 0 ? new Set(list) : undefined);

/** Compiles `conditions`; returns `undefined` when the plugin always applies (fast path). */
export function compileConditions(conditions: PluginCondition[]): ConditionMatcher | undefined {
  const compiled: CompiledCondition[] = conditions
    .map((c) => ({
      serverIds: nonEmptySet(c.server_ids),
      tenantIds: nonEmptySet(c.tenant_ids),
      tools: nonEmptySet(c.tools),
      prompts: nonEmptySet(c.prompts),
      resources: nonEmptySet(c.resources),
      agents: nonEmptySet(c.agents),
      users:
        c.user_patterns && c.user_patterns.length > 0 ? c.user_patterns.map((p) => new RegExp(p)) : undefined,
      contentTypes: nonEmptySet(c.content_types),
    }))
    .filter((c) => Object.values(c).some((v) => v !== undefined));
  if (compiled.length === 0) return undefined;
  return (hook, payload, context) => compiled.some((c) => matches(c, hook, payload, context));
}

function matches(c: CompiledCondition, hook: HookName, payload: unknown, context: GlobalContext): boolean {
  if (c.serverIds && !(context.serverId && c.serverIds.has(context.serverId))) return false;
  if (c.tenantIds && !(context.tenantId && c.tenantIds.has(context.tenantId))) return false;
  if (c.users) {
    const user = userString(context.user);
    if (!user || !c.users.some((re) => re.test(user))) return false;
  }
  if (c.contentTypes) {
    const type = context.metadata.content_type;
    if (typeof type !== 'string' || !c.contentTypes.has(type)) return false;
  }
  const p = (payload ?? {}) as Record<string, unknown>;
  switch (HOOK_SUBJECT[hook]) {
    case 'tool':
      return !c.tools || c.tools.has(String(p.name));
    case 'prompt':
      return !c.prompts || c.prompts.has(String(p.prompt_id));
    case 'resource':
      return !c.resources || c.resources.has(String(p.uri));
    case 'agent':
      return !c.agents || c.agents.has(String(p.agent_id));
    default:
      return true;
  }
}

function userString(user: GlobalContext['user']): string | undefined {
  if (typeof user === 'string') return user;
  if (user && typeof user === 'object') {
    const id = user.email ?? user.id ?? user.sub;
    return typeof id === 'string' ? id : undefined;
  }
  return undefined;
}
