import { z } from 'zod';
import { defineRoute, type RouteDef } from '../../http/route-def.js';
import { listQuerySchema, type PageLimits, toListFilter } from '../common/pagination.js';
import { deleted, deletedSchema, idParams, listResult, stateQuery } from '../common/route-helpers.js';
import { toolCreateSchema, toolOutputSchema, toolUpdateSchema } from './tool-schemas.js';
import type { ToolService } from './tool-service.js';

/** REST routes of the tool registry under `/v1/tools`. */
export function toolRoutes(tools: ToolService, limits: PageLimits): RouteDef[] {
  const tag = 'Tools';
  return [
    defineRoute({
      method: 'GET',
      path: '/v1/tools',
      permission: 'tools.read',
      tag,
      summary:
        'List tools (cursor pagination; filters tags, include_inactive, gateway_id, team_id, visibility)',
      query: listQuerySchema(limits),
      response: z.array(toolOutputSchema),
      handler: async ({ query }) => listResult(await tools.list(toListFilter(query)), query, 'tools'),
    }),
    defineRoute({
      method: 'POST',
      path: '/v1/tools',
      permission: 'tools.create',
      tag,
      summary: 'Create a tool',
      body: toolCreateSchema,
      response: toolOutputSchema,
      status: 201,
      handler: async ({ body, actor }) => ({ status: 201, body: await tools.create(body, actor) }),
    }),
    defineRoute({
      method: 'GET',
      path: '/v1/tools/{id}',
      permission: 'tools.read',
      tag,
      summary: 'Get a tool',
      params: idParams,
      response: toolOutputSchema,
      handler: async ({ params }) => ({ body: await tools.get(params.id) }),
    }),
    defineRoute({
      method: 'PUT',
      path: '/v1/tools/{id}',
      permission: 'tools.update',
      tag,
      summary: 'Update a tool (any subset of fields; bumps version)',
      params: idParams,
      body: toolUpdateSchema,
      response: toolOutputSchema,
      handler: async ({ params, body, actor }) => ({ body: await tools.update(params.id, body, actor) }),
    }),
    defineRoute({
      method: 'DELETE',
      path: '/v1/tools/{id}',
      permission: 'tools.delete',
      tag,
      summary: 'Delete a tool',
      params: idParams,
      response: deletedSchema,
      handler: async ({ params }) => {
        await tools.delete(params.id);
        return deleted('tool', params.id);
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/v1/tools/{id}/state',
      permission: 'tools.update',
      tag,
      summary: 'Enable (activate=true) or disable (activate=false) a tool',
      params: idParams,
      query: stateQuery,
      response: toolOutputSchema,
      handler: async ({ params, query, actor }) => ({
        body: await tools.setEnabled(params.id, query.activate, actor),
      }),
    }),
  ];
}
