import { z } from 'zod';
import { defineRoute, type RouteDef } from '../../http/route-def.js';
import { listQuerySchema, type PageLimits, toListFilter } from '../common/pagination.js';
import { deleted, deletedSchema, idParams, listResult, stateQuery } from '../common/route-helpers.js';
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
  return [
    defineRoute({
      method: 'GET',
      path: '/v1/prompts',
      permission: 'prompts.read',
      tag,
      summary: 'List prompts',
      query: listQuerySchema(limits),
      response: z.array(promptOutputSchema),
      handler: async ({ query }) => listResult(await prompts.list(toListFilter(query)), query, 'prompts'),
    }),
    defineRoute({
      method: 'POST',
      path: '/v1/prompts',
      permission: 'prompts.create',
      tag,
      summary: 'Create a prompt (nunjucks template; arguments derived from it when not declared)',
      body: promptCreateSchema,
      response: promptOutputSchema,
      status: 201,
      handler: async ({ body, actor }) => ({ status: 201, body: await prompts.create(body, actor) }),
    }),
    defineRoute({
      method: 'GET',
      path: '/v1/prompts/{id}',
      permission: 'prompts.read',
      tag,
      summary: 'Get a prompt',
      params: idParams,
      response: promptOutputSchema,
      handler: async ({ params }) => ({ body: await prompts.get(params.id) }),
    }),
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
    defineRoute({
      method: 'PUT',
      path: '/v1/prompts/{id}',
      permission: 'prompts.update',
      tag,
      summary: 'Update a prompt',
      params: idParams,
      body: promptUpdateSchema,
      response: promptOutputSchema,
      handler: async ({ params, body, actor }) => ({ body: await prompts.update(params.id, body, actor) }),
    }),
    defineRoute({
      method: 'DELETE',
      path: '/v1/prompts/{id}',
      permission: 'prompts.delete',
      tag,
      summary: 'Delete a prompt',
      params: idParams,
      response: deletedSchema,
      handler: async ({ params }) => {
        await prompts.delete(params.id);
        return deleted('prompt', params.id);
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/v1/prompts/{id}/state',
      permission: 'prompts.update',
      tag,
      summary: 'Enable or disable a prompt',
      params: idParams,
      query: stateQuery,
      response: promptOutputSchema,
      handler: async ({ params, query, actor }) => ({
        body: await prompts.setEnabled(params.id, query.activate, actor),
      }),
    }),
  ];
}
