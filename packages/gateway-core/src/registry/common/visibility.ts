import type { ListFilter } from './pagination.js';

/** The fields visibility is decided on (every registry entity has them). */
export interface VisibilityFields {
  visibility: string;
  team_id: string | null;
  owner_email: string | null;
}

/**
 * ContextForge's visibility rule, for one entity: public ones are seen by everyone, `team` ones by members
 * of their team, private ones by their owner only (and the owner always sees their own). `visibleTo`
 * undefined means no restriction.
 */
export function isVisibleTo(entity: VisibilityFields, visibleTo: ListFilter['visibleTo']): boolean {
  if (!visibleTo) return true;
  if (entity.visibility === 'public') return true;
  if (visibleTo.email !== null && entity.owner_email === visibleTo.email) return true;
  return entity.visibility === 'team' && entity.team_id !== null && visibleTo.teams.includes(entity.team_id);
}

/** The items of `list` the caller may see (same rule as {@link isVisibleTo}). */
export function filterVisible<T extends VisibilityFields>(
  list: T[],
  visibleTo: ListFilter['visibleTo'],
): T[] {
  return visibleTo ? list.filter((e) => isVisibleTo(e, visibleTo)) : list;
}
