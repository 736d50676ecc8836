import { GatewayError } from '../../errors.js';
import type { VisibilityFields } from '../../registry/common/visibility.js';
import type { Principal } from '../../security/authn/principal.js';
import { SecurityError } from '../../security/errors.js';
import { assertPermission, type RoleMap } from '../../security/rbac/permission-checker.js';
import { canSee, owns, teamInScope } from './visibility.js';

/** A team id no role is ever granted in: checking against it lets only global roles and admins pass. */
const NO_TEAM = '\u0000no-team';

/** Actions that only read or use an entity (visibility decides, plus the permission in its team). */
const READ_ACTIONS = new Set(['read', 'execute', 'use', 'preview']);

/** An entity as the guard needs it. */
export interface GuardedEntity extends VisibilityFields {
  id: string;
}

/**
 * Object-level authorization of an action on one entity (both of ContextForge's layers):
 * 1. visibility — an entity the caller may not see answers 404, exactly like a missing one;
 * 2. RBAC in the entity's context — reads of `team` entities need the permission in that team (public and
 *    own entities: anywhere); changes need it in the owning team (which must be in the caller's scope),
 *    or the caller owns the entity, or holds it globally.
 * @throws GatewayError NOT_FOUND, SecurityError FORBIDDEN / SCOPE_DENIED
 */
export function guardEntity(
  roles: RoleMap,
  principal: Principal,
  permission: string,
  entity: GuardedEntity,
  what: string,
  serverId?: string,
): void {
  if (!canSee(principal, entity)) throw new GatewayError('NOT_FOUND', `${what} '${entity.id}' not found`);
  const action = permission.slice(permission.indexOf('.') + 1);
  const own = owns(principal, entity);
  const ctx = serverId === undefined ? {} : { serverId };
  if (READ_ACTIONS.has(action)) {
    const teamId = entity.visibility === 'team' && !own ? (entity.team_id ?? NO_TEAM) : undefined;
    assertPermission(roles, principal, permission, { ...ctx, teamId });
    return;
  }
  if (own) {
    assertPermission(roles, principal, permission, ctx);
    return;
  }
  const teamId = entity.team_id !== null && teamInScope(principal, entity.team_id) ? entity.team_id : NO_TEAM;
  assertPermission(roles, principal, permission, { ...ctx, teamId });
}

/**
 * Checks (and completes) the team and owner a create or update body assigns:
 * - `team_id` must be a team in the caller's scope where they hold `permission` (platform admins: any
 *   existing team); a create without one goes to `defaultTeam` (the caller's personal team);
 * - only admins may make someone else the owner.
 * @throws SecurityError FORBIDDEN naming the field
 */
export function guardAssignment(
  roles: RoleMap,
  principal: Principal,
  permission: string,
  body: { team_id?: string | null; owner_email?: string | null },
  options: { creating: boolean; defaultTeam?: string | null },
): void {
  if (options.creating && body.team_id === undefined && options.defaultTeam)
    body.team_id = options.defaultTeam;
  const team = body.team_id;
  if (typeof team === 'string') {
    if (!teamInScope(principal, team)) {
      throw new SecurityError('FORBIDDEN', `team_id: you are not a member of team '${team}'`, {
        field: 'team_id',
        details: { permission },
      });
    }
    assertPermission(roles, principal, permission, { teamId: team });
  } else if (options.creating) {
    assertPermission(roles, principal, permission);
  }
  const owner = body.owner_email;
  if (owner !== undefined && owner !== null && !principal.isAdmin && owner !== principal.email) {
    throw new SecurityError(
      'FORBIDDEN',
      'owner_email: only platform administrators may assign another owner',
      {
        field: 'owner_email',
      },
    );
  }
  if (options.creating && (owner === undefined || owner === null) && principal.email)
    body.owner_email = principal.email;
}
