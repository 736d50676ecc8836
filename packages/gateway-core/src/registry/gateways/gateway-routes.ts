import { z } from 'zod';
import { defineRoute, type RouteDef } from '../../http/route-def.js';
import { listQuerySchema, type PageLimits, toListFilter } from '../common/pagination.js';
import { deleted, deletedSchema, idParams, listResult, stateQuery } from '../common/route-helpers.js';
import { gatewayCreateSchema, gatewayOutputSchema, gatewayUpdateSchema } from './gateway-schemas.js';
import type { GatewayService } from './gateway-service.js';

/** REST routes of the gateway registry under `/v1/gateways`. */
export function gatewayRoutes(gateways: GatewayService, limits: PageLimits): RouteDef[] {
  const tag = 'Gateways';
  return [
    defineRoute({
      method: 'GET',
      path: '/v1/gateways',
      permission: 'gateways.read',
      tag,
      summary: 'List gateways (upstream MCP servers)',
      query: listQuerySchema(limits),
      response: z.array(gatewayOutputSchema),
      handler: async ({ query }) => listResult(await gateways.list(toListFilter(query)), query, 'gateways'),
    }),
    defineRoute({
      method: 'POST',
      path: '/v1/gateways',
      permission: 'gateways.create',
      tag,
      summary:
        'Register a gateway (stored and validated; connection and discovery are done by the MCP engine)',
      body: gatewayCreateSchema,
      response: gatewayOutputSchema,
      status: 201,
      handler: async ({ body, actor }) => ({ status: 201, body: await gateways.create(body, actor) }),
    }),
    defineRoute({
      method: 'GET',
      path: '/v1/gateways/{id}',
      permission: 'gateways.read',
      tag,
      summary: 'Get a gateway (credentials masked)',
      params: idParams,
      response: gatewayOutputSchema,
      handler: async ({ params }) => ({ body: await gateways.get(params.id) }),
    }),
    defineRoute({
      method: 'PUT',
      path: '/v1/gateways/{id}',
      permission: 'gateways.update',
      tag,
      summary: 'Update a gateway (send "*****" back to keep a stored secret)',
      params: idParams,
      body: gatewayUpdateSchema,
      response: gatewayOutputSchema,
      handler: async ({ params, body, actor }) => ({ body: await gateways.update(params.id, body, actor) }),
    }),
    defineRoute({
      method: 'DELETE',
      path: '/v1/gateways/{id}',
      permission: 'gateways.delete',
      tag,
      summary: 'Delete a gateway with its tools, resources and prompts',
      params: idParams,
      response: deletedSchema,
      handler: async ({ params }) => {
        await gateways.delete(params.id);
        return deleted('gateway', params.id);
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/v1/gateways/{id}/state',
      permission: 'gateways.update',
      tag,
      summary: 'Enable or disable a gateway',
      params: idParams,
      query: stateQuery,
      response: gatewayOutputSchema,
      handler: async ({ params, query, actor }) => ({
        body: await gateways.setEnabled(params.id, query.activate, actor),
      }),
    }),
  ];
}
