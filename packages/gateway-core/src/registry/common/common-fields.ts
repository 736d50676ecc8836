import { z } from 'zod';
import type { CommonColumns } from '../../db/schema.js';
import { fromJson, toBool } from './json-column.js';
import { tagsSchema } from './tags.js';

/** Who may see an entity: its owner, its team, or everyone. */
export const visibilitySchema = z.enum(['private', 'team', 'public']);
/** Visibility values. */
export type Visibility = z.infer<typeof visibilitySchema>;

/** Fields every create/update body may carry (ContextForge's common fields). */
export const commonInputFields = {
  description: z.string().max(8192).nullable().optional(),
  tags: tagsSchema.optional(),
  team_id: z.string().min(1).max(64).nullable().optional(),
  owner_email: z.email().max(255).nullable().optional(),
  visibility: visibilitySchema.optional(),
  enabled: z.boolean().optional(),
};

/** The common fields as they appear in every API response. */
export interface CommonOutput {
  id: string;
  slug: string;
  description: string | null;
  tags: string[];
  team_id: string | null;
  owner_email: string | null;
  visibility: Visibility;
  enabled: boolean;
  created_at: string;
  updated_at: string;
  created_by: string | null;
  created_via: string | null;
  modified_by: string | null;
  modified_via: string | null;
  import_batch_id: string | null;
  version: number;
}

/** Maps the common columns of a row to API fields. */
export function commonOutput(row: CommonColumns): CommonOutput {
  return {
    id: row.id,
    slug: row.slug,
    description: row.description,
    tags: fromJson<string[]>(row.tags, []),
    team_id: row.team_id,
    owner_email: row.owner_email,
    visibility: row.visibility as Visibility,
    enabled: toBool(row.enabled),
    created_at: row.created_at,
    updated_at: row.updated_at,
    created_by: row.created_by,
    created_via: row.created_via,
    modified_by: row.modified_by,
    modified_via: row.modified_via,
    import_batch_id: row.import_batch_id,
    version: Number(row.version),
  };
}

/** zod description of {@link CommonOutput} for the OpenAPI document. */
export const commonOutputSchema = {
  id: z.string(),
  slug: z.string(),
  description: z.string().nullable(),
  tags: z.array(z.string()),
  team_id: z.string().nullable(),
  owner_email: z.string().nullable(),
  visibility: visibilitySchema,
  enabled: z.boolean(),
  created_at: z.string(),
  updated_at: z.string(),
  created_by: z.string().nullable(),
  created_via: z.string().nullable(),
  modified_by: z.string().nullable(),
  modified_via: z.string().nullable(),
  import_batch_id: z.string().nullable(),
  version: z.number().int(),
};
