import { z } from 'zod';
import { defineRoute, type RouteDef } from '../http/route-def.js';
import { idParams } from '../registry/common/route-helpers.js';
import { gatewayOutputSchema } from '../registry/gateways/gateway-schemas.js';
import type { GatewayUpstreams } from './gateway-upstreams.js';

const counts = z.object({ created: z.number(), updated: z.number(), removed: z.number() });

/** `POST /v1/gateways/{id}/tools/refresh`: rediscover a gateway's tools, resources and prompts now. */
export function refreshRoutes(upstreams: GatewayUpstreams): RouteDef[] {
  return [
    defineRoute({
      method: 'POST',
      path: '/v1/gateways/{id}/tools/refresh',
      permission: 'gateways.update',
      tag: 'Gateways',
      summary:
        'Connect to the gateway and refresh its tools, resources and prompts from what it lists now (an unreachable upstream answers 502 with the reason)',
      params: idParams,
      response: z.object({
        gateway: gatewayOutputSchema,
        tools: counts.optional(),
        resources: counts.optional(),
        prompts: counts.optional(),
        error: z.string().optional(),
      }),
      handler: async ({ params }) => {
        const r = await upstreams.refresh(params.id);
        if (r.error !== undefined) return { status: 502, body: { gateway: r.gateway, error: r.error } };
        return { body: { gateway: r.gateway, ...r.sync } };
      },
    }),
  ];
}
