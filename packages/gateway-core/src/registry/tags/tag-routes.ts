import { z } from 'zod';
import { defineRoute, type RouteDef } from '../../http/route-def.js';
import {
  TAGGED_TYPES,
  type TaggedType,
  type TagService,
  taggedEntitySchema,
  tagInfoSchema,
} from './tag-service.js';

const typesParam = z
  .string()
  .transform((s) =>
    s
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.enum(TAGGED_TYPES)))
  .optional();

/** REST routes of tags under `/v1/tags`. */
export function tagRoutes(tags: TagService): RouteDef[] {
  const tag = 'Tags';
  return [
    defineRoute({
      method: 'GET',
      path: '/v1/tags',
      permission: 'tags.read',
      tag,
      summary: 'Tags in use, with counts per entity type (entity_types=tools,servers; include_entities=true)',
      query: z.object({ entity_types: typesParam, include_entities: z.stringbool().default(false) }).strict(),
      response: z.array(tagInfoSchema),
      handler: async ({ query }) => ({
        body: await tags.list(
          (query.entity_types as TaggedType[] | undefined) ?? TAGGED_TYPES,
          query.include_entities,
        ),
      }),
    }),
    defineRoute({
      method: 'GET',
      path: '/v1/tags/{tag}/entities',
      permission: 'tags.read',
      tag,
      summary: 'Entities carrying a tag',
      params: z.object({ tag: z.string().min(1).max(64) }).strict(),
      query: z.object({ entity_types: typesParam }).strict(),
      response: z.array(taggedEntitySchema),
      handler: async ({ params, query }) => ({
        body: await tags.entities(
          params.tag,
          (query.entity_types as TaggedType[] | undefined) ?? TAGGED_TYPES,
        ),
      }),
    }),
  ];
}
