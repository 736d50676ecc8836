import type { AuthLayer } from '../auth/auth-layer-types.js';
import type { GatewayConfig } from '../config/settings.js';
import type { GatewayServices } from '../gateway.js';
import type { RouteDef } from '../http/route-def.js';
import type { GatewayInvoke } from '../invoke/create-invoke.js';
import { REVERSE_PROXY_CONNECTOR } from '../invoke/upstream-spec-builder.js';
import type { GatewayLogger } from '../observability/logger.js';
import type { RegistryContext } from '../registry/registry-context.js';
import { ReverseProxyEndpoint } from './reverse-proxy-endpoint.js';
import { ReverseProxyHub } from './reverse-proxy-hub.js';
import { reverseProxyRoutes } from './reverse-proxy-routes.js';
import { TunnelTransport } from './tunnel-transport.js';

/** What {@link createReverseProxy} needs from the gateway. */
export interface CreateReverseProxyOptions {
  config: GatewayConfig;
  services: GatewayServices;
  context: RegistryContext;
  invoke: GatewayInvoke;
  auth: AuthLayer | undefined;
  logger: GatewayLogger;
}

/** The gateway side of `mcp-reverse-proxy`. */
export interface GatewayReverseProxy {
  /** The live tunnels and their gateways. */
  hub: ReverseProxyHub;
  /** `WS /reverse-proxy/ws` for `serveApp` (undefined unless MCPGATEWAY_REVERSE_PROXY_ENABLED). */
  endpoint: ReverseProxyEndpoint | undefined;
  /** `GET /v1/reverse-proxy/sessions`, `DELETE /v1/reverse-proxy/sessions/{id}`. */
  routes: RouteDef[];
  /** Closes the tunnels (their gateways are marked unreachable) and stops accepting new ones. */
  close(): Promise<void>;
}

/** Time a new tunnel gets to send `register`. */
const REGISTER_TIMEOUT_MS = 10_000;

/**
 * Wires reverse-proxy tunnels into a gateway: the hub, the `reverse-proxy` transport of the upstream pool
 * (REVERSEPROXY gateways always resolve through it, so a stored one answers "disabled" or "not connected"
 * rather than failing obscurely), the upgrade endpoint when enabled, and the REST routes.
 */
export function createReverseProxy(o: CreateReverseProxyOptions): GatewayReverseProxy {
  const { config } = o;
  const hub = new ReverseProxyHub({
    enabled: config.MCPGATEWAY_REVERSE_PROXY_ENABLED,
    idleTimeoutMs: config.REVERSE_PROXY_IDLE_TIMEOUT * 1000,
    registerTimeoutMs: REGISTER_TIMEOUT_MS,
    // Sends beyond a few frames' worth of backlog fail instead of queueing without bound.
    maxBufferedBytes: 4 * config.REVERSE_PROXY_MAX_MESSAGE_SIZE,
    services: o.services,
    db: o.context.db,
    upstreams: o.invoke.upstreams,
    pool: o.invoke.pool,
    auth: o.auth,
    logger: o.logger,
  });
  const unregister = o.invoke.pool.registerTransport(
    REVERSE_PROXY_CONNECTOR,
    (spec, ctx) => new TunnelTransport(spec, ctx.where, hub),
  );
  const endpoint = config.MCPGATEWAY_REVERSE_PROXY_ENABLED
    ? new ReverseProxyEndpoint({
        hub,
        auth: o.auth,
        maxSessions: config.REVERSE_PROXY_MAX_SESSIONS,
        maxMessageBytes: config.REVERSE_PROXY_MAX_MESSAGE_SIZE,
        logger: o.logger,
      })
    : undefined;
  return {
    hub,
    endpoint,
    routes: reverseProxyRoutes(hub, o.services, o.auth),
    async close() {
      await hub.close();
      await endpoint?.close();
      unregister();
    },
  };
}
