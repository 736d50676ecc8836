import { defineRoute, type RouteDef } from '../../http/route-def.js';
import type { PageLimits } from '../common/pagination.js';
import { registryRoutes } from '../common/registry-routes.js';
import { idParams } from '../common/route-helpers.js';
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
  const crud = registryRoutes(resources, {
    entity: 'resource',
    plural: 'resources',
    tag,
    output: resourceOutputSchema,
    create: resourceCreateSchema,
    update: resourceUpdateSchema,
  });
  return [
    crud.list('List resources and resource templates (metadata only)', limits),
    crud.create(
      'Create a resource (text `content` or base64 `blob`) or a resource template (`uri_template`)',
    ),
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
    crud.update('Update a resource'),
    crud.delete('Delete a resource'),
    crud.state('Enable or disable a resource'),
  ];
}
