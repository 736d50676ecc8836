import type { RouteDef } from '../../http/route-def.js';
import type { PageLimits } from '../common/pagination.js';
import { registryRoutes } from '../common/registry-routes.js';
import { toolCreateSchema, toolOutputSchema, toolUpdateSchema } from './tool-schemas.js';
import type { ToolService } from './tool-service.js';

/** REST routes of the tool registry under `/v1/tools`. */
export function toolRoutes(tools: ToolService, limits: PageLimits): RouteDef[] {
  const tag = 'Tools';
  const crud = registryRoutes(tools, {
    entity: 'tool',
    plural: 'tools',
    tag,
    output: toolOutputSchema,
    create: toolCreateSchema,
    update: toolUpdateSchema,
  });
  return [
    crud.list(
      'List tools (cursor pagination; filters tags, include_inactive, gateway_id, team_id, visibility)',
      limits,
    ),
    crud.create('Create a tool'),
    crud.get('Get a tool'),
    crud.update('Update a tool (any subset of fields; bumps version)'),
    crud.delete('Delete a tool'),
    crud.state('Enable (activate=true) or disable (activate=false) a tool'),
  ];
}
