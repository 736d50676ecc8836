import { defineRoute, type RouteDef } from '../../http/route-def.js';
import type { PageLimits } from '../common/pagination.js';
import { registryRoutes } from '../common/registry-routes.js';
import { idParams } from '../common/route-helpers.js';
import {
  promptCreateSchema,
  promptOutputSchema,
  promptRenderSchema,
  promptResultSchema,
  promptUpdateSchema,
} from './prompt-schemas.js';
import type { PromptService } from './prompt-service.js';

/** REST routes of the prompt registry under `/v1/prompts`. */
export function promptRoutes(prompts: PromptService, limits: PageLimits): RouteDef[] {
  const tag = 'Prompts';
  const crud = registryRoutes(prompts, {
    entity: 'prompt',
    plural: 'prompts',
    tag,
    output: promptOutputSchema,
    create: promptCreateSchema,
    update: promptUpdateSchema,
  });
  return [
    crud.list('List prompts', limits),
    crud.create('Create a prompt (nunjucks template; arguments derived from it when not declared)'),
    crud.get('Get a prompt'),
    defineRoute({
      method: 'POST',
      path: '/v1/prompts/{id}',
      permission: 'prompts.execute',
      tag,
      summary: 'Render a prompt (by id or name) with argument values (body: {"arg": "value"})',
      params: idParams,
      body: promptRenderSchema,
      response: promptResultSchema,
      handler: async ({ params, body }) => ({ body: await prompts.render(params.id, body) }),
    }),
    crud.update('Update a prompt'),
    crud.delete('Delete a prompt'),
    crud.state('Enable or disable a prompt'),
  ];
}
