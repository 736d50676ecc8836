import type { PluginManager } from '@contextforge/plugin-framework';
import type { Hono } from 'hono';
import { type AuthLayer, createAuthLayer } from './auth/auth-layer.js';
import { KeyStore } from './auth/stores/key-store.js';
import type { Cache } from './cache/cache.js';
import { createCache } from './cache/create-cache.js';
import type { GatewayConfig } from './config/settings.js';
import { INSECURE_DEVELOPMENT_SECRET, SecretBox } from './crypto/secret-box.js';
import { connectDatabase, type GatewayDatabase } from './db/connect-database.js';
import { migrateToLatest } from './db/migrate.js';
import { createApp } from './http/create-app.js';
import { DEFAULT_HOOKS, type GatewayHooks } from './http/hooks.js';
import { buildOpenApi } from './http/openapi.js';
import { operationalRoutes } from './http/operational-routes.js';
import type { RouteDef } from './http/route-def.js';
import { type RunningServer, serveApp } from './http/serve-app.js';
import { wellKnownRoutes } from './http/well-known-routes.js';
import { createInvoke, type GatewayInvoke } from './invoke/create-invoke.js';
import { refreshRoutes } from './invoke/refresh-routes.js';
import { createMetrics, type GatewayMetrics } from './observability/http-metrics.js';
import { createLogger, type GatewayLogger } from './observability/logger.js';
import { loadPluginManager } from './plugins/load-plugins.js';
import { pluginHttpGate } from './plugins/plugin-http-hooks.js';
import { pluginInterceptor } from './plugins/plugin-interceptor.js';
import { pluginRoutes } from './plugins/plugin-routes.js';
import { RegistryCache } from './registry/common/registry-cache.js';
import { gatewayRoutes } from './registry/gateways/gateway-routes.js';
import { GatewayService } from './registry/gateways/gateway-service.js';
import { PromptRenderer } from './registry/prompts/prompt-renderer.js';
import { promptRoutes } from './registry/prompts/prompt-routes.js';
import { PromptService } from './registry/prompts/prompt-service.js';
import type { RegistryContext } from './registry/registry-context.js';
import { resourceRoutes } from './registry/resources/resource-routes.js';
import { ResourceService } from './registry/resources/resource-service.js';
import { rootRoutes } from './registry/roots/root-routes.js';
import { RootService } from './registry/roots/root-service.js';
import { serverRoutes } from './registry/servers/server-routes.js';
import { ServerService } from './registry/servers/server-service.js';
import { tagRoutes } from './registry/tags/tag-routes.js';
import { TagService } from './registry/tags/tag-service.js';
import { toolRoutes } from './registry/tools/tool-routes.js';
import { ToolService } from './registry/tools/tool-service.js';
import { transferRoutes } from './registry/transfer/transfer-routes.js';
import { createReverseProxy, type GatewayReverseProxy } from './reverse-proxy/create-reverse-proxy.js';
import { VERSION } from './version.js';

/** The registry services, for embedders and later layers (MCP engine, admin UI). */
export interface GatewayServices {
  gateways: GatewayService;
  tools: ToolService;
  resources: ResourceService;
  prompts: PromptService;
  servers: ServerService;
  roots: RootService;
  tags: TagService;
}

/** Options of {@link createGateway}. */
export interface CreateGatewayOptions {
  /**
   * The security layer: built from the configuration by default (authentication, RBAC, visibility,
   * hardening, auth routes); pass one to share it, or `false` for none (then every route is open: library
   * use behind another authentication, benchmarks of the registries alone).
   */
  auth?: AuthLayer | false;
  /** Hooks overriding the security layer's (or, without it, the allow-all defaults; see http/hooks.ts). */
  hooks?: Partial<GatewayHooks>;
  /** Logger (default: pino at `LOG_LEVEL` on stdout). */
  logger?: GatewayLogger;
  /** Apply pending migrations at start (default true). */
  migrate?: boolean;
  /**
   * More declared REST routes (validated, authorized and listed in the OpenAPI document like the built-in
   * ones), built from the services once they exist. Routes that are not JSON REST (MCP transports, UI) go
   * on `gateway.app` directly, before the first request.
   */
  extraRoutes?: (parts: { services: GatewayServices; context: RegistryContext }) => RouteDef[];
  /**
   * Serve MCP (`/mcp`, `/servers/{id}/mcp`, SSE, WebSocket, `/rpc`) and connect to upstreams (default
   * true); false leaves a registry-only REST gateway.
   */
  mcp?: boolean;
  /**
   * Load the plugins of `PLUGINS_CONFIG_FILE` (default: `PLUGINS_ENABLED`); false for tools that open the
   * gateway without serving requests (export, import, user and token commands).
   */
  plugins?: boolean;
}

/** A running gateway: its app, storage, cache, services and lifecycle. */
export interface Gateway {
  config: GatewayConfig;
  app: Hono;
  database: GatewayDatabase;
  cache: Cache;
  logger: GatewayLogger;
  services: GatewayServices;
  /** Registry context shared by the services (for layers that add their own). */
  context: RegistryContext;
  metrics: GatewayMetrics | undefined;
  /** The hooks in force (replacing one takes effect at once). */
  hooks: GatewayHooks;
  /**
   * The security layer (undefined with `auth: false`): the MCP engine's `authenticateNode`, MCP
   * authorization, visibility filters, upstream credentials, SSRF-safe fetch/dispatcher (src/auth/README.md).
   */
  auth: AuthLayer | undefined;
  /** Every declared REST route (the OpenAPI document lists these). */
  routes: RouteDef[];
  /**
   * The MCP side (undefined with `mcp: false`): the engine, the upstream pool and manager
   * (`invoke.upstreams.refresh(id)`), and the plugin hook list (`invoke.interceptors`).
   */
  invoke: GatewayInvoke | undefined;
  /**
   * The plugin manager (undefined unless `PLUGINS_ENABLED`): plugins of `PLUGINS_CONFIG_FILE`, run on every
   * tools/call, prompts/get and resources/read through `invoke.interceptors`.
   */
  plugins: PluginManager | undefined;
  /**
   * The gateway side of `mcp-reverse-proxy` (undefined with `mcp: false`): live tunnels (`reverseProxy.hub`);
   * `WS /reverse-proxy/ws` is served when MCPGATEWAY_REVERSE_PROXY_ENABLED.
   */
  reverseProxy: GatewayReverseProxy | undefined;
  /** Starts the HTTP server on `HOST:PORT` (or the given ones). */
  listen(port?: number, host?: string): Promise<RunningServer>;
  /** Stops the HTTP server (if listening) gracefully, then closes cache, renderer and database. */
  close(): Promise<void>;
}

/**
 * Builds a gateway from a validated configuration: connects the database (retrying while it is not up),
 * applies migrations, connects the cache, and assembles the REST API. Nothing listens until `listen()`.
 *
 * @throws GatewayError DB_UNAVAILABLE, CACHE_UNAVAILABLE
 */
export async function createGateway(
  config: GatewayConfig,
  options: CreateGatewayOptions = {},
): Promise<Gateway> {
  const logger = options.logger ?? createLogger(config.LOG_LEVEL);
  // Plugins first: a bad plugin file stops start-up before anything is written (on a fresh database the
  // bootstrap would otherwise create an administrator whose generated password is never shown).
  const plugins: PluginManager | undefined =
    (options.plugins ?? config.PLUGINS_ENABLED) ? await loadPluginManager(config, logger) : undefined;
  let database: GatewayDatabase;
  try {
    database = await connectDatabase({
      url: config.DATABASE_URL,
      poolSize: config.DB_POOL_SIZE,
      maxRetries: config.DB_MAX_RETRIES,
      retryIntervalMs: config.DB_RETRY_INTERVAL_MS,
      logger,
    });
  } catch (error) {
    await plugins?.shutdown();
    throw error;
  }
  let cache: Cache | undefined;
  try {
    if (options.migrate !== false) {
      const applied = await migrateToLatest(database.db, database.kind);
      if (applied.length > 0) logger.info({ migrations: applied }, 'database migrations applied');
    }
    cache = await createCache(config, logger);
  } catch (error) {
    await database.close();
    await plugins?.shutdown();
    throw error;
  }
  const box = new SecretBox(config.AUTH_ENCRYPTION_SECRET ?? INSECURE_DEVELOPMENT_SECRET);
  const context: RegistryContext = {
    db: database.db,
    cache: new RegistryCache(cache, config.REGISTRY_CACHE_TTL),
    box,
    config,
    logger,
  };
  const renderer = new PromptRenderer({
    timeoutMs: config.PROMPT_RENDER_TIMEOUT_MS,
    maxOutput: config.PROMPT_RENDER_MAX_OUTPUT,
  });
  const services: GatewayServices = {
    gateways: new GatewayService(context),
    tools: new ToolService(context),
    resources: new ResourceService(context),
    prompts: new PromptService(context, renderer),
    servers: new ServerService(context),
    roots: new RootService(context),
    tags: new TagService(context),
  };
  let auth: AuthLayer | undefined;
  try {
    auth =
      options.auth === false
        ? undefined
        : (options.auth ?? (await createAuthLayer({ config, database, box, services, logger })));
  } catch (error) {
    await renderer.close();
    await cache.close();
    await database.close();
    await plugins?.shutdown();
    throw error;
  }
  let invoke: GatewayInvoke | undefined;
  if (options.mcp !== false) {
    try {
      // One id per deployment (shared by its replicas through the database): federation loop detection.
      const instanceId = await new KeyStore({ db: database.db, kind: database.kind, box }).getOrCreate(
        'gateway_instance_id',
      );
      invoke = await createInvoke({
        config,
        services,
        context,
        cache,
        auth,
        logger,
        instanceId,
        version: VERSION,
      });
    } catch (error) {
      await auth?.close();
      await renderer.close();
      await cache.close();
      await database.close();
      await plugins?.shutdown();
      throw error;
    }
  }
  if (plugins) invoke?.interceptors.push(pluginInterceptor(plugins));
  // HTTP middleware hooks run before routing, so MCP transports (raw node:http) get them like REST routes.
  const httpGate = plugins ? pluginHttpGate(plugins, logger) : undefined;
  const reverseProxy = invoke
    ? createReverseProxy({ config, services, context, invoke, auth, logger })
    : undefined;
  if (!config.AUTH_REQUIRED) {
    logger.warn(
      'AUTH_REQUIRED=false: requests without credentials are served as an anonymous user who sees PUBLIC entities only (local development only)',
    );
  }
  const limits = {
    defaultSize: config.PAGINATION_DEFAULT_PAGE_SIZE,
    maxSize: config.PAGINATION_MAX_PAGE_SIZE,
  };
  const metrics = config.ENABLE_METRICS
    ? createMetrics({ version: VERSION, database: database.kind, cache: cache.kind })
    : undefined;
  const routes: RouteDef[] = [];
  const resourceBodyLimit = Math.max(
    config.MAX_BODY_SIZE,
    Math.ceil((config.CONTENT_MAX_RESOURCE_SIZE * 4) / 3) + 64 * 1024,
  );
  routes.push(
    ...toolRoutes(services.tools, limits),
    ...resourceRoutes(services.resources, limits).map((r) =>
      r.body ? { ...r, bodyLimit: resourceBodyLimit } : r,
    ),
    ...promptRoutes(services.prompts, limits),
    ...gatewayRoutes(services.gateways, limits),
    ...serverRoutes(services.servers, limits),
    ...rootRoutes(services.roots),
    ...tagRoutes(services.tags),
    ...transferRoutes(context, services, config.IMPORT_MAX_BODY_SIZE),
    ...(invoke ? refreshRoutes(invoke.upstreams) : []),
    ...pluginRoutes({ manager: () => plugins, audit: auth?.audit }),
    ...(reverseProxy?.routes ?? []),
    ...(auth?.routes() ?? []),
    ...(options.extraRoutes?.({ services, context }) ?? []),
  );
  const openApiRoutes = routes;
  let openApi: Record<string, unknown> | undefined;
  routes.push(
    ...operationalRoutes({
      database,
      cache,
      metrics,
      startedAt: Date.now(),
      openApi: () =>
        (openApi ??= buildOpenApi(openApiRoutes, { title: 'ContextForge gateway', version: VERSION })),
    }),
    ...wellKnownRoutes(config),
  );
  const hooks: GatewayHooks = { ...DEFAULT_HOOKS, ...auth?.hooks, ...options.hooks };
  // Route handlers read hooks through this object, so replacing a hook later takes effect at once.
  const liveHooks: GatewayHooks = {
    authorize: (c, permission) => hooks.authorize(c, permission),
    actor: (c) => hooks.actor(c),
    authorizeRequest: async (c, route, input) => {
      await hooks.authorizeRequest?.(c, route, input);
    },
  };
  const app = createApp({
    ...(config.LEGACY_API_ENABLED
      ? { legacySunset: new Date(`${config.LEGACY_API_SUNSET_DATE}T00:00:00Z`) }
      : {}),
    routes,
    hooks: liveHooks,
    maxBodySize: config.MAX_BODY_SIZE,
    maxJsonDepth: config.VALIDATION_MAX_JSON_DEPTH,
    ...(auth ? { middleware: auth.middleware } : {}),
    logger,
    ...(metrics ? { metrics } : {}),
  });
  let running: RunningServer | undefined;
  const readyCache = cache;
  return {
    config,
    app,
    database,
    cache: readyCache,
    logger,
    services,
    context,
    metrics,
    hooks,
    auth,
    routes,
    invoke,
    plugins,
    reverseProxy,
    async listen(port = config.PORT, host = config.HOST) {
      const raw = [
        ...(invoke ? [invoke.engine] : []),
        ...(reverseProxy?.endpoint ? [reverseProxy.endpoint] : []),
      ];
      running = await serveApp(app, host, port, raw, httpGate);
      return running;
    },
    async close() {
      const closing = running?.close(config.SHUTDOWN_GRACE_PERIOD_MS);
      running = undefined;
      // Open SSE streams and WebSockets would hold the server open: the engine ends them, and the
      // reverse proxy its tunnels (before the pool and database its bookkeeping uses).
      await reverseProxy?.close();
      await invoke?.close();
      await closing;
      await plugins?.shutdown();
      await renderer.close();
      await auth?.close();
      await readyCache.close();
      await database.close();
    },
  };
}
