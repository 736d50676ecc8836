/** What `PluginManager.invokeHook` returns. */
import type { PluginContextTable } from '../hooks/context.js';
import type { HookName } from '../hooks/hook-names.js';
import type { HookPayload, HookResultPayload } from '../hooks/payloads.js';
import type { PluginViolation } from '../hooks/result.js';

/** The combined result of every plugin of one hook call. */
export interface HookOutcome<H extends HookName = HookName> {
  /** `false` when a plugin blocked: answer with `violation` (see `violationToJsonRpcError`). */
  continueProcessing: boolean;
  /** The payload after every applied modification (the original when nothing changed). */
  payload: HookPayload<H>;
  /** Whether any plugin modified the payload (or decided, for the auth hooks). */
  modified: boolean;
  /**
   * The last modified payload as returned: the new headers for `http_*_request`, the decision for
   * `http_auth_resolve_user` / `http_auth_check_permission`, else the same object as `payload`.
   */
  modifiedPayload?: HookResultPayload<H>;
  /** Why the request was blocked (`pluginName` set). */
  violation?: PluginViolation;
  /** Metadata returned by plugins, by plugin name. */
  metadata: Record<string, Record<string, unknown>>;
  /** Plugin contexts of this request: pass them to the matching post hook. */
  contexts: PluginContextTable;
}
