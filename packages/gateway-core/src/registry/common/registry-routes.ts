import { z } from 'zod';
import { defineRoute, type RouteDef } from '../../http/route-def.js';
import type { Actor } from './actor.js';
import { type ListFilter, listQuerySchema, type Page, type PageLimits, toListFilter } from './pagination.js';
import { deleted, deletedSchema, idParams, listResult, stateQuery } from './route-helpers.js';

/** The service methods behind the standard routes of a registry (tools, resources, prompts, …). */
export interface RegistryCrudService<C, U> {
  list(filter: ListFilter): Promise<Page<unknown>>;
  create(input: C, actor: Actor): Promise<unknown>;
  get(id: string): Promise<unknown>;
  update(id: string, input: U, actor: Actor): Promise<unknown>;
  delete(id: string): Promise<void>;
  setEnabled(id: string, enabled: boolean, actor: Actor): Promise<unknown>;
}

/** What the standard routes of a registry are made of. */
export interface RegistryRoutesOptions<C, U> {
  /** Singular name, in the delete response: `tool`. */
  entity: string;
  /** Plural name: the path `/v1/<plural>`, the permissions `<plural>.read|create|update|delete`, the list key. */
  plural: string;
  /** OpenAPI tag. */
  tag: string;
  /** Response schema of one entity. */
  output: z.ZodType;
  /** Body schema of a create. */
  create: z.ZodType<C>;
  /** Body schema of an update. */
  update: z.ZodType<U>;
}

/** Builders of a registry's standard routes; each takes the route's OpenAPI summary. */
export interface RegistryRoutes {
  /** `GET /v1/<plural>`: a page (cursor pagination, list filters). */
  list(summary: string, limits: PageLimits): RouteDef;
  /** `POST /v1/<plural>` (201). */
  create(summary: string): RouteDef;
  /** `GET /v1/<plural>/{id}`. */
  get(summary: string): RouteDef;
  /** `PUT /v1/<plural>/{id}`. */
  update(summary: string): RouteDef;
  /** `DELETE /v1/<plural>/{id}`. */
  delete(summary: string): RouteDef;
  /** `POST /v1/<plural>/{id}/state?activate=true|false`. */
  state(summary: string): RouteDef;
}

/**
 * The list/create/get/update/delete/state routes every registry has, declared once: same paths,
 * permissions and schemas for each entity. The registry's route file lists them in its own order with
 * its own summaries, next to its entity-specific routes.
 */
export function registryRoutes<C, U>(
  service: RegistryCrudService<C, U>,
  { entity, plural, tag, output, create, update }: RegistryRoutesOptions<C, U>,
): RegistryRoutes {
  const path = `/v1/${plural}`;
  return {
    list: (summary, limits) =>
      defineRoute({
        method: 'GET',
        path,
        permission: `${plural}.read`,
        tag,
        summary,
        query: listQuerySchema(limits),
        response: z.array(output),
        handler: async ({ query, actor }) =>
          listResult(await service.list(toListFilter(query, actor)), query, plural),
      }),
    create: (summary) =>
      defineRoute({
        method: 'POST',
        path,
        permission: `${plural}.create`,
        tag,
        summary,
        body: create,
        response: output,
        status: 201,
        handler: async ({ body, actor }) => ({ status: 201, body: await service.create(body, actor) }),
      }),
    get: (summary) =>
      defineRoute({
        method: 'GET',
        path: `${path}/{id}`,
        permission: `${plural}.read`,
        tag,
        summary,
        params: idParams,
        response: output,
        handler: async ({ params }) => ({ body: await service.get(params.id) }),
      }),
    update: (summary) =>
      defineRoute({
        method: 'PUT',
        path: `${path}/{id}`,
        permission: `${plural}.update`,
        tag,
        summary,
        params: idParams,
        body: update,
        response: output,
        handler: async ({ params, body, actor }) => ({ body: await service.update(params.id, body, actor) }),
      }),
    delete: (summary) =>
      defineRoute({
        method: 'DELETE',
        path: `${path}/{id}`,
        permission: `${plural}.delete`,
        tag,
        summary,
        params: idParams,
        response: deletedSchema,
        handler: async ({ params }) => {
          await service.delete(params.id);
          return deleted(entity, params.id);
        },
      }),
    state: (summary) =>
      defineRoute({
        method: 'POST',
        path: `${path}/{id}/state`,
        permission: `${plural}.update`,
        tag,
        summary,
        params: idParams,
        query: stateQuery,
        response: output,
        handler: async ({ params, query, actor }) => ({
          body: await service.setEnabled(params.id, query.activate, actor),
        }),
      }),
  };
}
