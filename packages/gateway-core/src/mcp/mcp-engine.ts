import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { applyCors, type CorsOptions } from './cors.js';
import { ANONYMOUS, type EngineInternals, sendError } from './engine-internals.js';
import { McpError } from './errors.js';
import type { EventStore } from './event-store.js';
import { Hub } from './hub.js';
import { InFlightRequests } from './in-flight.js';
import { handleSseMessage, handleSseOpen } from './legacy-sse.js';
import { MemoryEventStore } from './memory-event-store.js';
import { MemoryMessageBus } from './memory-message-bus.js';
import { MemorySessionStore } from './memory-session-store.js';
import type { MessageBus } from './message-bus.js';
import type { OriginGuardOptions } from './origin-guard.js';
import { PendingRequests } from './pending-requests.js';
import { ErrorCode } from './protocol.js';
import { matchRoute } from './routes.js';
import { handleRpc } from './rpc-endpoint.js';
import { ServerInfoCache } from './server-info-cache.js';
import { SessionManager } from './session-manager.js';
import type { SessionStore } from './session-store.js';
import { handleStreamableHttp } from './streamable-http.js';
import { ToolHeaderIndex } from './tool-header-index.js';
import type { Authenticate, McpBackend } from './types.js';
import { WebSocketTransport } from './websocket-transport.js';

/** Options of {@link createMcpEngine}; plain values the gateway fills from its config. */
export interface McpEngineOptions {
  backend: McpBackend;
  /** Resolves the caller; throw an McpError with httpStatus 401/403 to refuse. Default: anonymous. */
  authenticate?: Authenticate;
  /** Shared session state (default: in-process). Use `RedisSessionStore` for several replicas. */
  sessionStore?: SessionStore;
  /** Resumable stream events (default: in-process). Use `RedisEventStore` for several replicas. */
  eventStore?: EventStore;
  /** Replica-to-replica messages (default: in-process). Use `RedisMessageBus` for several replicas. */
  bus?: MessageBus;
  /** Bus channel prefix shared by the replicas of one deployment. Default `mcp`. */
  busPrefix?: string;
  /** Path prefix the engine's routes live under (e.g. `/gateway`). Default none. */
  basePath?: string;
  /** DNS-rebinding protection (Host/Origin checks). */
  dnsRebinding?: OriginGuardOptions;
  /** CORS for browser clients (off by default; OPTIONS then falls through to the next handler). */
  cors?: CorsOptions;
  /** Largest accepted request body / WebSocket message. Default 4 MiB. */
  maxBodyBytes?: number;
  /** Idle time after which a legacy session is reaped. Default 30 minutes. */
  sessionIdleTtlMs?: number;
  /** How long a replica trusts its cached copy of a session record. Default 2 s. */
  sessionCacheMs?: number;
  /** Bound of the per-replica session record cache. Default 10,000. */
  maxCachedSessions?: number;
  /** Bound of resources/subscribe URIs per session. Default 100. */
  maxSubscriptionsPerSession?: number;
  /** Bound of open subscriptions/listen streams per replica. Default 10,000. */
  maxListeners?: number;
  /** Bound of concurrent requests per WebSocket. Default 256. */
  maxWsInFlight?: number;
  /** How long `backend.serverInfo(scope)` is cached. Default 10 s. */
  serverInfoTtlMs?: number;
  /** `ttlMs` hint on 2026-07-28 cacheable results the backend did not annotate. Default 10 s. */
  cacheTtlMs?: number;
  /** Timeout of server→client requests (sampling, elicitation, roots). Default 5 minutes. */
  serverRequestTimeoutMs?: number;
  /** SSE keep-alive comment interval. Default 25 s. */
  keepAliveMs?: number;
  /** Adds `_meta.io.modelcontextprotocol/serverInfo` to 2026-07-28 results. Default true. */
  serverInfoInResults?: boolean;
}

/** A running engine: raw node:http handlers plus lifecycle. */
export interface McpEngine {
  /**
   * Serves the request when its path is one of the engine's routes and returns true; returns false
   * (touching nothing) otherwise, so the caller can hand it to the next handler (e.g. Hono).
   */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
  /** Same for `upgrade` events (WebSocket routes). */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /** This replica's id on the bus. */
  readonly replicaId: string;
  /** Counters for bound tests and metrics. */
  stats(): {
    sessionsCached: number;
    pendingServerRequests: number;
    inFlight: number;
    channels: number;
    listeners: number;
    resumed: number;
  };
  /** Closes streams, sockets and bus subscriptions (stores and connections stay the caller's). */
  close(): Promise<void>;
}

/**
 * Creates the downstream MCP engine and subscribes it to its bus. Mount `handle` before any
 * framework on the node:http `request` event and `handleUpgrade` on `upgrade`.
 */
export async function createMcpEngine(opts: McpEngineOptions): Promise<McpEngine> {
  const idleTtlMs = opts.sessionIdleTtlMs ?? 30 * 60_000;
  const ownedStores: Array<{ close(): Promise<void> }> = [];
  let hub: Hub | undefined;
  // The default store tells the hub about reaped sessions so their streams close at once.
  const sessionStore =
    opts.sessionStore ?? new MemorySessionStore({ onExpire: (id) => hub?.sessionChanged(id, true) });
  const eventStore = opts.eventStore ?? new MemoryEventStore();
  const bus = opts.bus ?? new MemoryMessageBus();
  if (opts.sessionStore === undefined) ownedStores.push(sessionStore);
  if (opts.eventStore === undefined) ownedStores.push(eventStore);
  if (opts.bus === undefined) ownedStores.push(bus);

  const pending = new PendingRequests(PendingRequests.newReplicaId());
  const inFlight = new InFlightRequests();
  const sessions = new SessionManager(sessionStore, {
    idleTtlMs,
    cacheMs: opts.sessionCacheMs ?? 2000,
    maxCached: opts.maxCachedSessions ?? 10_000,
    maxSubscriptions: opts.maxSubscriptionsPerSession ?? 100,
    onChanged: (id, deleted) => hub?.sessionChanged(id, deleted),
  });
  hub = new Hub({
    bus,
    events: eventStore,
    sessions,
    pending,
    inFlight,
    prefix: opts.busPrefix ?? 'mcp',
    keepAliveMs: opts.keepAliveMs ?? 25_000,
    ownerTtlMs: idleTtlMs,
  });
  await hub.start();
  const serverInfo = new ServerInfoCache(opts.backend, opts.serverInfoTtlMs ?? 10_000);
  const headerIndex = new ToolHeaderIndex();
  const engine: EngineInternals = {
    runner: {
      backend: opts.backend,
      serverInfo,
      pending,
      inFlight,
      cacheTtlMs: opts.cacheTtlMs ?? 10_000,
      serverRequestTimeoutMs: opts.serverRequestTimeoutMs ?? 300_000,
      serverInfoInResults: opts.serverInfoInResults ?? true,
    },
    sessions,
    events: eventStore,
    hub,
    authenticate: opts.authenticate ?? (async () => ANONYMOUS),
    anonymous: opts.authenticate === undefined,
    origin: opts.dnsRebinding ?? {},
    headerIndex,
    limits: {
      maxBodyBytes: opts.maxBodyBytes ?? 4 * 1024 * 1024,
      maxListeners: opts.maxListeners ?? 10_000,
      maxListenUris: opts.maxSubscriptionsPerSession ?? 100,
      maxWsInFlight: opts.maxWsInFlight ?? 256,
      ownerTtlMs: idleTtlMs,
    },
  };
  const activeHub = hub;
  const unsubscribeChanges = opts.backend.onChange?.((e) => {
    serverInfo.invalidate();
    if (e.kind !== 'resource-updated') headerIndex.invalidate();
    void activeHub.fanOut(e).catch(() => undefined);
  });
  const ws = new WebSocketTransport(engine);
  const basePath = (opts.basePath ?? '').replace(/\/+$/, '');

  const fail = (res: ServerResponse) => (err: unknown) => {
    if (!res.headersSent)
      sendError(
        res,
        new McpError(ErrorCode.InternalError, 'Internal error', undefined, { httpStatus: 500, cause: err }),
        null,
        500,
      );
    else res.destroy();
  };

  return {
    replicaId: pending.replicaId,
    handle(req, res) {
      const route = matchRoute(req.url ?? '/', basePath);
      if (route === undefined || route.kind === 'ws') return false;
      if (applyCors(req, res, opts.cors)) return true;
      // Preflights belong to the host application's CORS handling unless the engine was given origins.
      if (req.method === 'OPTIONS') return false;
      let p: Promise<void>;
      switch (route.kind) {
        case 'mcp':
          p = handleStreamableHttp(engine, req, res, route.scope);
          break;
        case 'sse':
          if (req.method !== 'GET') return false;
          p = handleSseOpen(engine, req, res, route.scope, route.messagePath);
          break;
        case 'message':
          if (req.method !== 'POST') return false;
          p = handleSseMessage(engine, req, res, route.scope, route.sessionId);
          break;
        case 'rpc':
          p = handleRpc(engine, req, res);
          break;
      }
      p.catch(fail(res));
      return true;
    },
    handleUpgrade(req, socket, head) {
      const route = matchRoute(req.url ?? '/', basePath);
      if (route?.kind !== 'ws') return false;
      ws.upgrade(req, socket, head, route.scope).catch(() => socket.destroy());
      return true;
    },
    stats() {
      return {
        sessionsCached: sessions.cachedCount,
        pendingServerRequests: pending.size,
        inFlight: inFlight.size,
        ...activeHub.sizes,
      };
    },
    async close() {
      unsubscribeChanges?.();
      pending.rejectAll(new McpError(ErrorCode.ConnectionClosed, 'engine closed'));
      await ws.close();
      await activeHub.close();
      for (const s of ownedStores) await s.close();
    },
  };
}
