/**
 * Request contexts. The global context is shared by every plugin of one request; each plugin also
 * gets its own `PluginContext` whose `state` lives from the pre hook to the post hook of the same
 * request (the gateway passes the returned context table from pre to post).
 */

/** Request-wide context shared by all plugins. */
export interface GlobalContext {
  /** Correlation id of the request. */
  requestId: string;
  /** The authenticated user: an email/id or a user object. */
  user?: string | Record<string, unknown>;
  tenantId?: string;
  /** The virtual server the request targets. */
  serverId?: string;
  /** Shared mutable state (plugins may write; all plugins of the request see it). */
  state: Record<string, unknown>;
  /** Read-mostly data the gateway adds (e.g. `content_type`, tool metadata). */
  metadata: Record<string, unknown>;
}

/** One plugin's context for one request. */
export interface PluginContext {
  /** Private state of this plugin for this request (pre → post). */
  state: Record<string, unknown>;
  /** The request's shared context. */
  globalContext: GlobalContext;
  /** Plugin metadata for observability. */
  metadata: Record<string, unknown>;
  /** Aborted when the plugin's timeout elapses; long-running plugins should honour it. */
  signal?: AbortSignal;
}

/** Plugin contexts of one request, by plugin name; returned from pre hooks, passed to post hooks. */
export type PluginContextTable = Map<string, PluginContext>;

/** Builds a global context; `requestId` defaults to a random UUID. */
export function createGlobalContext(init: Partial<GlobalContext> = {}): GlobalContext {
  return {
    requestId: init.requestId ?? globalThis.crypto.randomUUID(),
    ...(init.user !== undefined ? { user: init.user } : {}),
    ...(init.tenantId !== undefined ? { tenantId: init.tenantId } : {}),
    ...(init.serverId !== undefined ? { serverId: init.serverId } : {}),
    state: init.state ?? {},
    metadata: init.metadata ?? {},
  };
}
