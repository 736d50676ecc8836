import { z } from 'zod';
import { defineRoute, type RouteDef } from '../../http/route-def.js';
import { listQuerySchema, type PageLimits, toListFilter } from '../common/pagination.js';
import { deleted, deletedSchema, idParams, listResult, stateQuery } from '../common/route-helpers.js';
import { promptOutputSchema } from '../prompts/prompt-schemas.js';
import { resourceOutputSchema } from '../resources/resource-schemas.js';
import { toolOutputSchema } from '../tools/tool-schemas.js';
import { serverCreateSchema, serverOutputSchema, serverUpdateSchema } from './server-schemas.js';
import type { ServerService } from './server-service.js';

const memberQuery = z.object({ include_inactive: z.stringbool().default(false) }).strict();

/** REST routes of virtual servers under `/v1/servers`. */
export function serverRoutes(servers: ServerService, limits: PageLimits): RouteDef[] {
  const tag = 'Servers';
  return [
    defineRoute({
      method: 'GET',
      path: '/v1/servers',
      permission: 'servers.read',
      tag,
      summary: 'List virtual servers',
      query: listQuerySchema(limits),
      response: z.array(serverOutputSchema),
      handler: async ({ query }) => listResult(await servers.list(toListFilter(query)), query, 'servers'),
    }),
    defineRoute({
      method: 'POST',
      path: '/v1/servers',
      permission: 'servers.create',
      tag,
      summary: 'Create a virtual server grouping tools (optionally aliased), resources and prompts',
      body: serverCreateSchema,
      response: serverOutputSchema,
      status: 201,
      handler: async ({ body, actor }) => ({ status: 201, body: await servers.create(body, actor) }),
    }),
    defineRoute({
      method: 'GET',
      path: '/v1/servers/{id}',
      permission: 'servers.read',
      tag,
      summary: 'Get a virtual server',
      params: idParams,
      response: serverOutputSchema,
      handler: async ({ params }) => ({ body: await servers.get(params.id) }),
    }),
    defineRoute({
      method: 'PUT',
      path: '/v1/servers/{id}',
      permission: 'servers.update',
      tag,
      summary: 'Update a virtual server (given association lists replace the current ones)',
      params: idParams,
      body: serverUpdateSchema,
      response: serverOutputSchema,
      handler: async ({ params, body, actor }) => ({ body: await servers.update(params.id, body, actor) }),
    }),
    defineRoute({
      method: 'DELETE',
      path: '/v1/servers/{id}',
      permission: 'servers.delete',
      tag,
      summary: 'Delete a virtual server (its members stay)',
      params: idParams,
      response: deletedSchema,
      handler: async ({ params }) => {
        await servers.delete(params.id);
        return deleted('server', params.id);
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/v1/servers/{id}/state',
      permission: 'servers.update',
      tag,
      summary: 'Enable or disable a virtual server',
      params: idParams,
      query: stateQuery,
      response: serverOutputSchema,
      handler: async ({ params, query, actor }) => ({
        body: await servers.setEnabled(params.id, query.activate, actor),
      }),
    }),
    defineRoute({
      method: 'GET',
      path: '/v1/servers/{id}/tools',
      permission: 'servers.read',
      tag,
      summary: "A virtual server's tools, in order, with alias and exposed_name",
      params: idParams,
      query: memberQuery,
      response: z.array(toolOutputSchema.extend({ alias: z.string().nullable(), exposed_name: z.string() })),
      handler: async ({ params, query }) => ({
        body: await servers.tools(params.id, query.include_inactive),
      }),
    }),
    defineRoute({
      method: 'GET',
      path: '/v1/servers/{id}/resources',
      permission: 'servers.read',
      tag,
      summary: "A virtual server's resources",
      params: idParams,
      query: memberQuery,
      response: z.array(resourceOutputSchema),
      handler: async ({ params, query }) => ({
        body: await servers.resources(params.id, query.include_inactive),
      }),
    }),
    defineRoute({
      method: 'GET',
      path: '/v1/servers/{id}/prompts',
      permission: 'servers.read',
      tag,
      summary: "A virtual server's prompts",
      params: idParams,
      query: memberQuery,
      response: z.array(promptOutputSchema),
      handler: async ({ params, query }) => ({
        body: await servers.prompts(params.id, query.include_inactive),
      }),
    }),
  ];
}
