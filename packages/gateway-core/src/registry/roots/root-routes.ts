import { z } from 'zod';
import { defineRoute, type RouteDef } from '../../http/route-def.js';
import { type RootService, rootCreateSchema, rootOutputSchema, rootUpdateSchema } from './root-service.js';

const keyParams = z.object({ key: z.string().min(1).max(767) }).strict();

/** REST routes of roots under `/v1/roots` (`{key}` is a root id or its URL-encoded URI). */
export function rootRoutes(roots: RootService): RouteDef[] {
  const tag = 'Roots';
  return [
    defineRoute({
      method: 'GET',
      path: '/v1/roots',
      permission: 'admin.system_config',
      tag,
      summary: 'List roots',
      response: z.array(rootOutputSchema),
      handler: async () => ({ body: await roots.list() }),
    }),
    defineRoute({
      method: 'POST',
      path: '/v1/roots',
      permission: 'admin.system_config',
      tag,
      summary: 'Add a root',
      body: rootCreateSchema,
      response: rootOutputSchema,
      status: 201,
      handler: async ({ body }) => ({ status: 201, body: await roots.create(body) }),
    }),
    defineRoute({
      method: 'GET',
      path: '/v1/roots/{key}',
      permission: 'admin.system_config',
      tag,
      summary: 'Get a root by id or URL-encoded URI',
      params: keyParams,
      response: rootOutputSchema,
      handler: async ({ params }) => ({ body: await roots.get(params.key) }),
    }),
    defineRoute({
      method: 'PUT',
      path: '/v1/roots/{key}',
      permission: 'admin.system_config',
      tag,
      summary: 'Update a root',
      params: keyParams,
      body: rootUpdateSchema,
      response: rootOutputSchema,
      handler: async ({ params, body }) => ({ body: await roots.update(params.key, body) }),
    }),
    defineRoute({
      method: 'DELETE',
      path: '/v1/roots/{key}',
      permission: 'admin.system_config',
      tag,
      summary: 'Remove a root',
      params: keyParams,
      response: z.object({ status: z.literal('success'), message: z.string(), id: z.string() }),
      handler: async ({ params }) => {
        const root = await roots.delete(params.key);
        return { body: { status: 'success', message: `root ${root.uri} deleted`, id: root.id } };
      },
    }),
  ];
}
