/**
 * How a modified payload feeds the next plugin: MCP hooks replace the payload, the HTTP middleware
 * hooks replace the headers, and the two auth hooks are decisions (the first one wins).
 */
import type { HookName } from '../hooks/hook-names.js';

/** Hooks whose result is a decision rather than a new payload: the first decision ends the chain. */
export const DECISION_HOOKS: ReadonlySet<HookName> = new Set([
  'http_auth_resolve_user',
  'http_auth_check_permission',
]);

/** The payload the next plugin sees after `modified` was returned for `payload`. */
export function applyModification(hook: HookName, payload: unknown, modified: unknown): unknown {
  switch (hook) {
    case 'http_pre_request':
    case 'http_post_request':
      return { ...(payload as Record<string, unknown>), headers: modified };
    case 'http_auth_resolve_user':
    case 'http_auth_check_permission':
      return payload;
    default:
      return modified;
  }
}
