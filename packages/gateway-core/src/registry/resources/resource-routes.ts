import { z } from 'zod';
import { defineRoute, type RouteDef } from '../../http/route-def.js';
import { listQuerySchema, type PageLimits, toListFilter } from '../common/pagination.js';
import { deleted, deletedSchema, idParams, listResult, stateQuery } from '../common/route-helpers.js';
import {
  resourceCreateSchema,
  resourceOutputSchema,
  resourceUpdateSchema,
  resourceWithContentSchema,
} from './resource-schemas.js';
import type { ResourceService } from './resource-service.js';

/** REST routes of the resource registry under `/v1/resources`. */
export function resourceRoutes(resources: ResourceService, limits: PageLimits): RouteDef[] {
  const tag = 'Resources';
  return [
    defineRoute({
      method: 'GET',
      path: '/v1/resources',
      permission: 'resources.read',
      tag,
      summary: 'List resources and resource templates (metadata only)',
      query: listQuerySchema(limits),
      response: z.array(resourceOutputSchema),
      handler: async ({ query }) => listResult(await resources.list(toListFilter(query)), query, 'resources'),
    }),
    defineRoute({
      method: 'POST',
      path: '/v1/resources',
      permission: 'resources.create',
      tag,
      summary: 'Create a resource (text `content` or base64 `blob`) or a resource template (`uri_template`)',
      body: resourceCreateSchema,
      response: resourceOutputSchema,
      status: 201,
      handler: async ({ body, actor }) => ({ status: 201, body: await resources.create(body, actor) }),
    }),
    defineRoute({
      method: 'GET',
      path: '/v1/resources/{id}',
      permission: 'resources.read',
      tag,
      summary: 'Read a resource: metadata and content',
      params: idParams,
      response: resourceWithContentSchema,
      handler: async ({ params }) => ({ body: await resources.read(params.id) }),
    }),
    defineRoute({
      method: 'GET',
      path: '/v1/resources/{id}/info',
      permission: 'resources.read',
      tag,
      summary: 'Get resource metadata without content',
      params: idParams,
      response: resourceOutputSchema,
      handler: async ({ params }) => ({ body: await resources.get(params.id) }),
    }),
    defineRoute({
      method: 'PUT',
      path: '/v1/resources/{id}',
      permission: 'resources.update',
      tag,
      summary: 'Update a resource',
      params: idParams,
      body: resourceUpdateSchema,
      response: resourceOutputSchema,
      handler: async ({ params, body, actor }) => ({ body: await resources.update(params.id, body, actor) }),
    }),
    defineRoute({
      method: 'DELETE',
      path: '/v1/resources/{id}',
      permission: 'resources.delete',
      tag,
      summary: 'Delete a resource',
      params: idParams,
      response: deletedSchema,
      handler: async ({ params }) => {
        await resources.delete(params.id);
        return deleted('resource', params.id);
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/v1/resources/{id}/state',
      permission: 'resources.update',
      tag,
      summary: 'Enable or disable a resource',
      params: idParams,
      query: stateQuery,
      response: resourceOutputSchema,
      handler: async ({ params, query, actor }) => ({
        body: await resources.setEnabled(params.id, query.activate, actor),
      }),
    }),
  ];
}
