import { z } from 'zod';
import type { AuthLayer } from '../auth/auth-layer-types.js';
import { principalOf } from '../auth/http/request-context.js';
import { isGatewayError, notFound } from '../errors.js';
import type { GatewayServices } from '../gateway.js';
import { defineRoute, type RouteDef } from '../http/route-def.js';
import { idParams } from '../registry/common/route-helpers.js';
import type { GatewayOutput } from '../registry/gateways/gateway-schemas.js';
import type { LiveTunnel, ReverseProxyHub } from './reverse-proxy-hub.js';

/** A live tunnel in the REST API. */
export const reverseProxySessionSchema = z.object({
  id: z.string().describe('the proxy’s session id (stable across its reconnects)'),
  name: z.string(),
  gateway_id: z.string(),
  connected_at: z.string(),
  last_activity_at: z.string(),
  principal: z.string().describe('who connected it'),
  remote_address: z.string().nullable(),
  in_flight: z.number().int(),
  server_info: z.record(z.string(), z.unknown()).nullable(),
});

function toOutput(t: LiveTunnel): z.output<typeof reverseProxySessionSchema> {
  return {
    id: t.id,
    name: t.name,
    gateway_id: t.gatewayId,
    connected_at: t.connectedAt.toISOString(),
    last_activity_at: new Date(t.lastActivity).toISOString(),
    principal: t.principal,
    remote_address: t.remoteAddress ?? null,
    in_flight: t.inFlight,
    server_info: t.serverInfo ?? null,
  };
}

async function gatewayOf(services: GatewayServices, id: string): Promise<GatewayOutput | undefined> {
  try {
    return await services.gateways.get(id);
  } catch (error) {
    if (isGatewayError(error) && error.code === 'NOT_FOUND') return undefined;
    throw error;
  }
}

/**
 * `GET /v1/reverse-proxy/sessions` (tunnels of this replica whose gateway the caller can see) and
 * `DELETE /v1/reverse-proxy/sessions/{id}` (disconnect: the proxy is told and exits; the gateway stays,
 * unreachable). Object-level rules follow the gateway: visible to list, `gateways.delete` in its team to
 * disconnect.
 */
export function reverseProxyRoutes(
  hub: ReverseProxyHub,
  services: GatewayServices,
  auth: AuthLayer | undefined,
): RouteDef[] {
  const tag = 'Reverse proxy';
  return [
    defineRoute({
      method: 'GET',
      path: '/v1/reverse-proxy/sessions',
      permission: 'gateways.read',
      tag,
      summary: 'List the mcp-reverse-proxy tunnels connected to this replica',
      response: z.array(reverseProxySessionSchema),
      handler: async ({ c }) => {
        const principal = auth ? principalOf(c) : undefined;
        const out: Array<z.output<typeof reverseProxySessionSchema>> = [];
        for (const tunnel of hub.list()) {
          const gateway = await gatewayOf(services, tunnel.gatewayId);
          if (gateway === undefined) continue;
          if (auth && principal && !auth.canSee(principal, gateway)) continue;
          out.push(toOutput(tunnel));
        }
        return { body: out };
      },
    }),
    defineRoute({
      method: 'DELETE',
      path: '/v1/reverse-proxy/sessions/{id}',
      permission: 'gateways.delete',
      tag,
      summary:
        'Disconnect a reverse-proxy tunnel (the proxy is told and stops; its gateway stays, marked unreachable)',
      params: idParams,
      response: z.object({ status: z.literal('success'), message: z.string(), id: z.string() }),
      handler: async ({ params, c, actor }) => {
        const tunnel = hub.find(params.id);
        const gateway = tunnel ? await gatewayOf(services, tunnel.gatewayId) : undefined;
        if (tunnel === undefined || gateway === undefined) throw notFound('reverse-proxy session', params.id);
        // Invisible answers like missing (404); visible without the permission in its team answers 403.
        if (auth) await auth.authorizeMcp(principalOf(c), { kind: 'all' }, 'gateways.delete', gateway);
        const by = actor.user ?? 'an administrator';
        await hub.disconnect(params.id, `disconnected by ${by} (DELETE /v1/reverse-proxy/sessions)`);
        return {
          body: {
            status: 'success',
            message: `reverse-proxy session ${params.id} of gateway '${gateway.name}' disconnected`,
            id: params.id,
          },
        };
      },
    }),
  ];
}
