import { sql } from 'kysely';
import { z } from 'zod';
import { fromJson } from '../common/json-column.js';
import { normalizeTag, tagLikePattern } from '../common/tags.js';
import type { RegistryContext } from '../registry-context.js';

/** Entity kinds that carry tags. */
export const TAGGED_TYPES = ['tools', 'resources', 'prompts', 'servers', 'gateways'] as const;
/** One tagged kind. */
export type TaggedType = (typeof TAGGED_TYPES)[number];

/** An entity carrying a tag. */
export const taggedEntitySchema = z.object({
  id: z.string(),
  name: z.string(),
  type: z.string(),
  description: z.string().nullable(),
});
/** An entity carrying a tag. */
export type TaggedEntity = z.output<typeof taggedEntitySchema>;

/** A tag with per-kind counts (and, on request, the entities). */
export const tagInfoSchema = z.object({
  name: z.string(),
  stats: z.object({
    tools: z.number(),
    resources: z.number(),
    prompts: z.number(),
    servers: z.number(),
    gateways: z.number(),
    total: z.number(),
  }),
  entities: z.array(taggedEntitySchema).optional(),
});
/** A tag with counts. */
export type TagInfo = z.output<typeof tagInfoSchema>;

const singular: Record<TaggedType, string> = {
  tools: 'tool',
  resources: 'resource',
  prompts: 'prompt',
  servers: 'server',
  gateways: 'gateway',
};

/** Tags are derived from the entities (no table of their own), as in ContextForge. */
export class TagService {
  /** @param ctx storage, cache, secret box and settings shared by the registries */
  constructor(private readonly ctx: RegistryContext) {}

  /** Every tag in use, sorted, with counts per kind. */
  async list(types: readonly TaggedType[] = TAGGED_TYPES, includeEntities = false): Promise<TagInfo[]> {
    const tags = new Map<string, TagInfo>();
    for (const type of types) {
      const rows = await this.ctx.db
        .selectFrom(type)
        .select(['id', 'name', 'description', 'tags'])
        .where(sql<boolean>`tags <> '[]'`)
        .execute();
      for (const row of rows) {
        for (const tag of fromJson<string[]>(row.tags, [])) {
          let info = tags.get(tag);
          if (!info) {
            info = {
              name: tag,
              stats: { tools: 0, resources: 0, prompts: 0, servers: 0, gateways: 0, total: 0 },
              ...(includeEntities ? { entities: [] } : {}),
            };
            tags.set(tag, info);
          }
          info.stats[type] += 1;
          info.stats.total += 1;
          info.entities?.push({
            id: row.id,
            name: row.name,
            type: singular[type],
            description: row.description,
          });
        }
      }
    }
    return [...tags.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** Entities carrying `tag`. */
  async entities(tag: string, types: readonly TaggedType[] = TAGGED_TYPES): Promise<TaggedEntity[]> {
    const wanted = normalizeTag(tag);
    const out: TaggedEntity[] = [];
    for (const type of types) {
      const rows = await this.ctx.db
        .selectFrom(type)
        .select(['id', 'name', 'description', 'tags'])
        .where(sql<boolean>`tags like ${tagLikePattern(wanted)} escape '!'`)
        .orderBy('name')
        .execute();
      for (const row of rows) {
        if (fromJson<string[]>(row.tags, []).includes(wanted))
          out.push({ id: row.id, name: row.name, type: singular[type], description: row.description });
      }
    }
    return out;
  }
}
