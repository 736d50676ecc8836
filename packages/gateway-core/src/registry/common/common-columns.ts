import type { CommonColumns } from '../../db/schema.js';
import { type Actor, createdAudit } from './actor.js';
import type { Visibility } from './common-fields.js';
import { tagsJson } from './tags.js';

/** The common fields of a create or update body, as `commonInputFields` validates them. */
export interface CommonInput {
  description?: string | null | undefined;
  tags?: readonly string[] | undefined;
  team_id?: string | null | undefined;
  owner_email?: string | null | undefined;
  visibility?: Visibility | undefined;
  enabled?: boolean | undefined;
}

type CommonInputColumns = Pick<
  CommonColumns,
  'description' | 'tags' | 'team_id' | 'owner_email' | 'visibility' | 'enabled'
>;

/**
 * The common columns of a new row (all but `id` and `slug`): the body's values, else the defaults
 * (owned by the actor, public, enabled), and the audit columns of a creation by `actor`.
 */
export function commonInsert(input: CommonInput, actor: Actor): Omit<CommonColumns, 'id' | 'slug'> {
  return {
    description: input.description ?? null,
    tags: tagsJson(input.tags),
    team_id: input.team_id ?? null,
    owner_email: input.owner_email ?? actor.user,
    visibility: input.visibility ?? 'public',
    enabled: input.enabled === false ? 0 : 1,
    ...createdAudit(actor),
  };
}

/** The common columns an update body changes: only the fields it carries (null clears). */
export function commonPatch(input: CommonInput): Partial<CommonInputColumns> {
  const patch: Partial<CommonInputColumns> = {};
  if (input.description !== undefined) patch.description = input.description;
  if (input.tags !== undefined) patch.tags = tagsJson(input.tags);
  if (input.team_id !== undefined) patch.team_id = input.team_id;
  if (input.owner_email !== undefined) patch.owner_email = input.owner_email;
  if (input.visibility !== undefined) patch.visibility = input.visibility;
  if (input.enabled !== undefined) patch.enabled = input.enabled ? 1 : 0;
  return patch;
}
