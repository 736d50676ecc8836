import { GatewayError } from '../../errors.js';
import type { Principal } from '../../security/authn/principal.js';
import { SecurityError } from '../../security/errors.js';
import { BUILTIN_ROLES } from '../../security/rbac/builtin-roles.js';
import { checkPermission } from '../../security/rbac/permission-checker.js';
import { ALL_PERMISSIONS, isKnownPermission } from '../../security/rbac/permissions.js';
import { ANONYMOUS_ROLE } from '../authz/role-catalog.js';
import type { RoleGrant, RoleRecord } from '../stores/role-store.js';
import type { AuditActor } from './audit-recorder.js';
import type { AuthDeps } from './auth-deps.js';

const ROLE_NAME = /^[a-z][a-z0-9_-]{1,63}$/;

/**
 * RBAC administration (`/v1/rbac`): the built-in roles (read-only), custom roles, and grants to users —
 * globally or in one team. Revoking the last platform administrator, or one's own administrator role, is
 * refused. Custom-role changes reach every replica's role map through the auth bus.
 */
export class RoleService {
  constructor(private readonly d: AuthDeps) {}

  list(): Promise<RoleRecord[]> {
    return this.d.roles.list();
  }

  /** @throws GatewayError NOT_FOUND */
  async get(idOrName: string): Promise<RoleRecord> {
    const role = await this.d.roles.find(idOrName);
    if (!role) throw new GatewayError('NOT_FOUND', `role '${idOrName}' not found`);
    return role;
  }

  /**
   * Creates a custom role.
   * @throws GatewayError VALIDATION_FAILED (name, permissions), CONFLICT (name taken)
   */
  async create(
    input: {
      name: string;
      description?: string | null | undefined;
      scope: 'global' | 'team';
      permissions: string[];
    },
    actor: AuditActor,
  ): Promise<RoleRecord> {
    if (!ROLE_NAME.test(input.name) || input.name === ANONYMOUS_ROLE)
      throw new GatewayError(
        'VALIDATION_FAILED',
        `name: expected 2-64 lowercase letters, digits, _ or -, got '${input.name}'`,
        { field: 'name' },
      );
    if (input.name in BUILTIN_ROLES || (await this.d.roles.find(input.name)))
      throw new GatewayError('CONFLICT', `role '${input.name}' already exists`, { field: 'name' });
    this.#checkPermissions(input.permissions);
    const role = await this.d.roles.insert(
      {
        name: input.name,
        description: input.description ?? '',
        scope: input.scope,
        permissions: input.permissions,
      },
      actor.principal?.subject ?? null,
    );
    await this.#changed();
    this.d.audit.record(actor, {
      action: 'role.created',
      target: { type: 'role', id: role.id, name: role.name },
      details: { permissions: input.permissions },
    });
    return role;
  }

  /** @throws GatewayError NOT_FOUND, SecurityError FORBIDDEN (built-in role) */
  async update(
    idOrName: string,
    changes: { description?: string | undefined; permissions?: string[] | undefined },
    actor: AuditActor,
  ): Promise<RoleRecord> {
    const role = await this.get(idOrName);
    if (role.isSystemRole)
      throw new SecurityError('FORBIDDEN', `built-in role '${role.name}' cannot be changed`);
    if (changes.permissions) this.#checkPermissions(changes.permissions);
    await this.d.roles.update(role.id, changes);
    await this.#changed();
    this.d.audit.record(actor, {
      action: 'role.updated',
      target: { type: 'role', id: role.id, name: role.name },
      details: { changed: Object.keys(changes) },
    });
    return this.get(role.id);
  }

  /** Deletes a custom role (its grants go with it). @throws SecurityError FORBIDDEN (built-in role) */
  async delete(idOrName: string, actor: AuditActor): Promise<void> {
    const role = await this.get(idOrName);
    if (role.isSystemRole)
      throw new SecurityError('FORBIDDEN', `built-in role '${role.name}' cannot be deleted`);
    const holders = await this.d.roles.grants({ roleId: role.id });
    await this.d.roles.delete(role.id);
    await this.#changed();
    for (const g of holders) await this.d.bus.publish({ kind: 'subject', id: g.userEmail });
    this.d.audit.record(actor, {
      action: 'role.deleted',
      target: { type: 'role', id: role.id, name: role.name },
    });
  }

  /** Grants of a user. */
  async grantsOf(email: string): Promise<RoleGrant[]> {
    return this.d.roles.grants({ userEmail: email });
  }

  /**
   * Grants a role to a user, globally (`scope: global`) or in a team (`scope: team`, `scope_id`).
   * @throws GatewayError NOT_FOUND (user, role, team), VALIDATION_FAILED (scope mismatch)
   */
  async assign(
    email: string,
    input: { role_id: string; scope: 'global' | 'team'; scope_id?: string | null | undefined },
    actor: AuditActor,
  ): Promise<RoleGrant> {
    if (!(await this.d.users.find(email))) throw new GatewayError('NOT_FOUND', `user '${email}' not found`);
    const role = await this.get(input.role_id);
    if (role.scope !== input.scope)
      throw new GatewayError('VALIDATION_FAILED', `scope: role '${role.name}' is a ${role.scope} role`, {
        field: 'scope',
      });
    const teamId = input.scope === 'team' ? (input.scope_id ?? null) : null;
    if (input.scope === 'team') {
      if (!teamId)
        throw new GatewayError('VALIDATION_FAILED', 'scope_id: a team id is required for team roles', {
          field: 'scope_id',
        });
      if (!(await this.d.teams.get(teamId)))
        throw new GatewayError('NOT_FOUND', `team '${teamId}' not found`, { field: 'scope_id' });
    }
    await this.d.roles.assign(email, role.id, teamId, actor.principal?.subject ?? null);
    await this.d.bus.publish({ kind: 'subject', id: email });
    this.d.audit.record(actor, {
      action: 'role.assigned',
      target: { type: 'user', id: email },
      details: { role: role.name, team_id: teamId },
    });
    return (await this.d.roles.grants({ userEmail: email })).find(
      (g) => g.roleId === role.id && g.teamId === teamId,
    )!;
  }

  /**
   * Revokes a role grant (in every scope unless `teamId` is given).
   * @throws GatewayError NOT_FOUND, CONFLICT (last admin), SecurityError FORBIDDEN (own admin role)
   */
  async revoke(
    email: string,
    roleIdOrName: string,
    teamId: string | undefined,
    actor: AuditActor,
  ): Promise<void> {
    const role = await this.get(roleIdOrName);
    if (role.name === 'platform_admin') {
      if (actor.principal?.email === email)
        throw new SecurityError('FORBIDDEN', 'you cannot revoke your own platform_admin role', {
          field: 'role_id',
        });
      const user = await this.d.users.find(email);
      const holders = await this.d.roles.grants({ roleId: role.id });
      const otherAdmins =
        (await this.d.users.countActiveAdmins()) - (user && Number(user.is_admin) === 1 ? 1 : 0);
      if (otherAdmins + holders.filter((h) => h.userEmail !== email && h.teamId === null).length === 0)
        throw new GatewayError('CONFLICT', `'${email}' is the last platform administrator`, {
          field: 'role_id',
        });
    }
    const removed = await this.d.roles.revoke(email, role.id, teamId);
    if (removed === 0)
      throw new GatewayError(
        'NOT_FOUND',
        `'${email}' does not hold role '${role.name}'${teamId ? ` in team '${teamId}'` : ''}`,
      );
    await this.d.bus.publish({ kind: 'subject', id: email });
    this.d.audit.record(actor, {
      action: 'role.revoked',
      target: { type: 'user', id: email },
      details: { role: role.name, team_id: teamId ?? null },
    });
  }

  /** Every permission `principal` holds somewhere (for `/rbac/my/permissions`). */
  effectivePermissions(principal: Principal): string[] {
    return ALL_PERMISSIONS.filter((p) => checkPermission(this.d.catalog.map, principal, p).allowed);
  }

  #checkPermissions(permissions: readonly string[]): void {
    permissions.forEach((p, i) => {
      if (!isKnownPermission(p)) {
        throw new GatewayError('VALIDATION_FAILED', `permissions.${i}: unknown permission '${p}'`, {
          field: `permissions.${i}`,
        });
      }
    });
  }

  async #changed(): Promise<void> {
    await this.d.catalog.reload();
    await this.d.bus.publish({ kind: 'roles' });
  }
}
