import { Redis } from 'ioredis';
import type { AuthLayer } from '../auth/auth-layer-types.js';
import { parseList } from '../auth/config/parse-list.js';
import type { Cache } from '../cache/cache.js';
import type { GatewayConfig } from '../config/settings.js';
import type { GatewayServices } from '../gateway.js';
import { createMcpEngine, type McpEngine, type McpEngineOptions } from '../mcp/mcp-engine.js';
import { RedisEventStore } from '../mcp/redis-event-store.js';
import { RedisMessageBus } from '../mcp/redis-message-bus.js';
import { RedisSessionStore } from '../mcp/redis-session-store.js';
import type { ChangeEvent } from '../mcp/types.js';
import type { GatewayLogger } from '../observability/logger.js';
import type { RegistryContext } from '../registry/registry-context.js';
import type { UpstreamLogger } from '../upstream/logger.js';
import { McpUpstreamPool } from '../upstream/pool/upstream-pool.js';
import { createChangeFeed } from './change-feed.js';
import { federationPaths } from './federation.js';
import { GatewayUpstreams } from './gateway-upstreams.js';
import { accessFromAuthLayer, type InvokeAccess, openAccess } from './invoke-access.js';
import { createInvokeBackend } from './invoke-backend.js';
import type { InvokeInterceptor } from './invoke-interceptor.js';

/** What {@link createInvoke} needs from the gateway. */
export interface CreateInvokeOptions {
  config: GatewayConfig;
  services: GatewayServices;
  context: RegistryContext;
  cache: Cache;
  auth: AuthLayer | undefined;
  logger: GatewayLogger;
  instanceId: string;
  version: string;
}

/** The gateway's MCP side: engine (downstream), upstream pool and manager, plugin hook list. */
export interface GatewayInvoke {
  engine: McpEngine;
  upstreams: GatewayUpstreams;
  pool: McpUpstreamPool;
  /** Hooks run by every tools/call, prompts/get and resources/read (replace the array's contents to change them). */
  interceptors: InvokeInterceptor[];
  /** Closes the engine, connections and processes. */
  close(): Promise<void>;
}

function upstreamLogger(logger: GatewayLogger): UpstreamLogger {
  return {
    debug: (m, f) => logger.debug(f ?? {}, m),
    info: (m, f) => logger.info(f ?? {}, m),
    warn: (m, f) => logger.warn(f ?? {}, m),
    error: (m, f) => logger.error(f ?? {}, m),
  };
}

function allowedHosts(
  value: string,
): McpEngineOptions['dnsRebinding'] extends infer O
  ? O extends { allowedHosts?: infer H }
    ? H
    : never
  : never {
  const v = value.trim();
  if (v === 'loopback' || v === 'any') return v;
  return parseList(v);
}

/**
 * Builds the MCP side of a gateway from its configuration: the upstream pool (every socket through the
 * SSRF connector), the manager that keeps the registry in step with the upstreams, the invoke backend,
 * and the engine serving every transport — on Redis (sessions, replay, replica bus) when
 * `CACHE_TYPE=redis`, so any replica serves any request.
 */
export async function createInvoke(o: CreateInvokeOptions): Promise<GatewayInvoke> {
  const { config, services, logger } = o;
  const access: InvokeAccess = o.auth
    ? accessFromAuthLayer(o.auth, services.tools)
    : openAccess(async (id) => {
        const g = await services.gateways.get(id);
        return { headers: { ...g.headers }, url: g.url };
      });
  const pool = new McpUpstreamPool({
    clientInfo: { name: 'contextforge-gateway', version: o.version },
    timeoutMs: config.TOOL_TIMEOUT * 1000,
    retries: config.MAX_TOOL_RETRIES,
    connectTimeoutMs: config.UPSTREAM_CONNECT_TIMEOUT * 1000,
    health: {
      intervalMs: config.HEALTH_CHECK_INTERVAL * 1000,
      timeoutMs: config.HEALTH_CHECK_TIMEOUT * 1000,
      unhealthyThreshold: config.UNHEALTHY_THRESHOLD,
    },
    stdio: {
      enabled: config.MCPGATEWAY_STDIO_ENABLED,
      maxProcesses: config.STDIO_MAX_PROCESSES,
      maxProcessesPerServer: config.STDIO_MAX_PROCESSES_PER_SERVER,
      idleTtlMs: config.STDIO_IDLE_TTL * 1000,
    },
    ...(o.auth ? { connect: o.auth.ssrfConnector } : {}),
    logger: upstreamLogger(logger),
  });
  const listeners = new Set<(e: ChangeEvent) => void>();
  const emit = (e: ChangeEvent) => {
    for (const l of listeners) l(e);
  };
  let upstreams: GatewayUpstreams | undefined;
  const feed = createChangeFeed(o.cache, emit, (gatewayId) => {
    if (gatewayId !== undefined) upstreams?.forget(gatewayId);
  });
  upstreams = new GatewayUpstreams({
    services,
    context: o.context,
    access,
    pool,
    config,
    logger,
    instanceId: o.instanceId,
    onResourceUpdated: (uri) => void feed.announceResourceUpdated(uri),
  });
  const interceptors: InvokeInterceptor[] = [];
  const backend = createInvokeBackend({
    services,
    access,
    upstreams,
    instanceId: o.instanceId,
    federationPaths: federationPaths(o.context.db),
    serverName: 'contextforge',
    version: o.version,
    headerPassthrough: config.ENABLE_HEADER_PASSTHROUGH,
    restTimeoutMs: config.TOOL_TIMEOUT * 1000,
    interceptors: () => interceptors,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  });

  const redis: Redis[] = [];
  const shared: Partial<McpEngineOptions> = {};
  if (config.CACHE_TYPE === 'redis' && config.REDIS_URL) {
    const prefix = `${config.CACHE_PREFIX}mcp`;
    const client = new Redis(config.REDIS_URL, { lazyConnect: false, maxRetriesPerRequest: 3 });
    const subscriber = new Redis(config.REDIS_URL, { lazyConnect: false });
    for (const r of [client, subscriber])
      r.on('error', (e: Error) => logger.warn({ err: e.message }, 'redis error (MCP sessions)'));
    redis.push(client, subscriber);
    Object.assign(shared, {
      sessionStore: new RedisSessionStore(client, { prefix }),
      eventStore: new RedisEventStore(client, { prefix }),
      bus: new RedisMessageBus(client, subscriber),
      busPrefix: prefix,
    });
  }
  const origins = parseList(config.ALLOWED_ORIGINS);
  const engine = await createMcpEngine({
    backend,
    ...(o.auth ? { authenticate: o.auth.authenticateNode } : {}),
    ...shared,
    dnsRebinding: {
      allowedHosts: allowedHosts(config.MCP_ALLOWED_HOSTS),
      ...(origins.length > 0 ? { allowedOrigins: origins } : {}),
    },
    ...(config.CORS_ENABLED && origins.length > 0 ? { cors: { allowedOrigins: origins } } : {}),
    maxBodyBytes: config.MAX_BODY_SIZE,
    sessionIdleTtlMs: config.SESSION_TTL * 1000,
    keepAliveMs: config.SSE_KEEPALIVE_INTERVAL * 1000,
  });
  if (config.UPSTREAM_DISCOVERY_ON_START) {
    void upstreams
      .discoverAll()
      .catch((error: unknown) => logger.warn({ err: (error as Error).message }, 'start-up discovery failed'));
  }
  const manager = upstreams;
  return {
    engine,
    upstreams: manager,
    pool,
    interceptors,
    async close() {
      feed.close();
      manager.close();
      backend.close();
      await engine.close();
      await pool.close();
      await (shared.bus as RedisMessageBus | undefined)?.close();
      await Promise.allSettled(redis.map((r) => r.quit()));
    },
  };
}
