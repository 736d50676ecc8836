import type { GatewayOutput } from '../registry/gateways/gateway-schemas.js';
import type { UpstreamSpec, UpstreamTransportKind } from '../upstream/types.js';

/** Registry transport names → the connectors' names. */
const TRANSPORTS: Record<string, UpstreamTransportKind> = {
  STREAMABLEHTTP: 'streamable-http',
  SSE: 'sse',
  WEBSOCKET: 'websocket',
  STDIO: 'stdio',
};

/** Connector name of the reverse-proxy tunnels' transport (registered with the pool by src/reverse-proxy). */
export const REVERSE_PROXY_CONNECTOR = 'reverse-proxy';

/** Registry transports served by a custom transport registered with the pool under a connector name. */
const CONNECTORS: Record<string, string> = { REVERSEPROXY: REVERSE_PROXY_CONNECTOR };

/**
 * A reverse proxy initialises its local server once, in the 2025 era, and answers every `initialize` from
 * that: pinning the revision skips a `server/discover` probe the session could not honour.
 */
const TUNNEL_REVISION = '2025-11-25';

/** Connection settings every upstream of this gateway shares. */
export interface SpecDefaults {
  timeoutMs: number;
  retries: number;
}

/**
 * The connectors' view of a registered gateway. `auth` is the gateway's own credentials (static headers,
 * stored secrets, a query-parameter key in the URL) resolved for its owner: they authenticate the shared
 * connection; per-user credentials travel per call instead.
 *
 * @throws Error naming the gateway when its transport is unknown (a record from a newer version)
 */
export function upstreamSpecFor(
  gateway: GatewayOutput,
  auth: { headers: Record<string, string>; url: string | null },
  defaults: SpecDefaults,
): UpstreamSpec {
  const connector = CONNECTORS[String(gateway.transport)];
  if (connector !== undefined) {
    return {
      id: gateway.id,
      name: gateway.name,
      transport: 'custom',
      connector,
      protocolVersion: TUNNEL_REVISION,
      timeoutMs: defaults.timeoutMs,
      retries: defaults.retries,
    };
  }
  const transport = TRANSPORTS[String(gateway.transport)];
  if (transport === undefined)
    throw new Error(
      `gateway '${gateway.name}' has transport ${String(gateway.transport)}, which this version cannot connect to`,
    );
  const spec: UpstreamSpec = {
    id: gateway.id,
    name: gateway.name,
    transport,
    timeoutMs: defaults.timeoutMs,
    retries: defaults.retries,
  };
  if (transport === 'stdio') {
    spec.command = gateway.command ?? '';
    spec.args = gateway.args;
  } else {
    spec.url = auth.url ?? gateway.url ?? '';
    if (Object.keys(auth.headers).length > 0) spec.headers = auth.headers;
  }
  return spec;
}
