import type { ListFilter } from '../../registry/common/pagination.js';
import { isVisibleTo, type VisibilityFields } from '../../registry/common/visibility.js';
import type { Principal } from '../../security/authn/principal.js';

/**
 * What `principal` may see, as the registries' list filter: undefined (everything) for an admin whose team
 * scope is the admin bypass; otherwise public entities, `team` entities of the teams in scope and the
 * caller's own. Anonymous callers (AUTH_REQUIRED=false) see public entities only.
 */
export function visibilityFor(principal: Principal): ListFilter['visibleTo'] {
  if (principal.teams.kind === 'admin-bypass') return undefined;
  const email = principal.authMethod === 'anonymous' ? null : (principal.email ?? null);
  return { email, teams: principal.teams.kind === 'teams' ? principal.teams.teamIds : [] };
}

/** True when `principal` may see `entity` (the same rule as the list filter). */
export function canSee(principal: Principal, entity: VisibilityFields): boolean {
  return isVisibleTo(entity, visibilityFor(principal));
}

/** True when `teamId` is within the principal's team scope (admins with the bypass: every team). */
export function teamInScope(principal: Principal, teamId: string): boolean {
  if (principal.teams.kind === 'admin-bypass') return true;
  return principal.teams.kind === 'teams' && principal.teams.teamIds.includes(teamId);
}

/** True when `principal` owns `entity`. */
export function owns(principal: Principal, entity: Pick<VisibilityFields, 'owner_email'>): boolean {
  return (
    principal.authMethod !== 'anonymous' &&
    principal.email !== undefined &&
    entity.owner_email !== null &&
    entity.owner_email === principal.email
  );
}
