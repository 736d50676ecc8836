import type { GatewayOutput } from '../registry/gateways/gateway-schemas.js';
import type { UpstreamSpec, UpstreamTransportKind } from '../upstream/types.js';

/** Registry transport names → the connectors' names. */
const TRANSPORTS: Record<string, UpstreamTransportKind> = {
  STREAMABLEHTTP: 'streamable-http',
  SSE: 'sse',
  WEBSOCKET: 'websocket',
  STDIO: 'stdio',
};

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
