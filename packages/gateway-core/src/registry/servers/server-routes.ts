import { z } from 'zod';
import { defineRoute, type RouteDef } from '../../http/route-def.js';
import type { PageLimits } from '../common/pagination.js';
import { registryRoutes } from '../common/registry-routes.js';
import { idParams } from '../common/route-helpers.js';
import { filterVisible } from '../common/visibility.js';
import { promptOutputSchema } from '../prompts/prompt-schemas.js';
import { resourceOutputSchema } from '../resources/resource-schemas.js';
import { toolOutputSchema } from '../tools/tool-schemas.js';
import { serverCreateSchema, serverOutputSchema, serverUpdateSchema } from './server-schemas.js';
import type { ServerService } from './server-service.js';

const memberQuery = z.object({ include_inactive: z.stringbool().default(false) }).strict();

/** REST routes of virtual servers under `/v1/servers`. */
export function serverRoutes(servers: ServerService, limits: PageLimits): RouteDef[] {
  const tag = 'Servers';
  const crud = registryRoutes(servers, {
    entity: 'server',
    plural: 'servers',
    tag,
    output: serverOutputSchema,
    create: serverCreateSchema,
    update: serverUpdateSchema,
  });
  return [
    crud.list('List virtual servers', limits),
    crud.create('Create a virtual server grouping tools (optionally aliased), resources and prompts'),
    crud.get('Get a virtual server'),
    crud.update('Update a virtual server (given association lists replace the current ones)'),
    crud.delete('Delete a virtual server (its members stay)'),
    crud.state('Enable or disable a virtual server'),
    defineRoute({
      method: 'GET',
      path: '/v1/servers/{id}/tools',
      permission: 'servers.read',
      tag,
      summary: "A virtual server's tools, in order, with alias and exposed_name",
      params: idParams,
      query: memberQuery,
      response: z.array(toolOutputSchema.extend({ alias: z.string().nullable(), exposed_name: z.string() })),
      handler: async ({ params, query, actor }) => ({
        body: filterVisible(await servers.tools(params.id, query.include_inactive), actor.visibleTo),
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
      handler: async ({ params, query, actor }) => ({
        body: filterVisible(await servers.resources(params.id, query.include_inactive), actor.visibleTo),
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
      handler: async ({ params, query, actor }) => ({
        body: filterVisible(await servers.prompts(params.id, query.include_inactive), actor.visibleTo),
      }),
    }),
  ];
}
