import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import { fromJson, toJson } from '../../registry/common/json-column.js';
import type { RoleDefinition } from '../../security/rbac/builtin-roles.js';
import type { RolesTable } from '../db/auth-schema.js';
import { insertIgnore, iso, type StoreContext } from './store-context.js';

/** A role as the API shows it. */
export interface RoleRecord extends RoleDefinition {
  readonly id: string;
  readonly isSystemRole: boolean;
  readonly createdBy: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** A role grant of a user (global when `teamId` is null). */
export interface RoleGrant {
  readonly id: string;
  readonly userEmail: string;
  readonly roleId: string;
  readonly roleName: string;
  readonly teamId: string | null;
  readonly grantedBy: string | null;
  readonly grantedAt: string;
}

function toRole(r: Selectable<RolesTable>): RoleRecord {
  return {
    id: r.id,
    name: r.name,
    description: r.description ?? '',
    scope: r.scope === 'team' ? 'team' : 'global',
    permissions: fromJson<string[]>(r.permissions, []),
    isSystemRole: Number(r.is_system_role) === 1,
    createdBy: r.created_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** Roles (`roles`) and role grants (`user_roles`). */
export class RoleStore {
  constructor(private readonly ctx: Pick<StoreContext, 'db' | 'kind'>) {}

  async list(): Promise<RoleRecord[]> {
    const rows = await this.ctx.db.selectFrom('roles').selectAll().orderBy('name').execute();
    return rows.map(toRole);
  }

  /** A role by id or by name. */
  async find(idOrName: string): Promise<RoleRecord | undefined> {
    const row = await this.ctx.db
      .selectFrom('roles')
      .selectAll()
      .where((eb) => eb.or([eb('id', '=', idOrName), eb('name', '=', idOrName)]))
      .executeTakeFirst();
    return row ? toRole(row) : undefined;
  }

  /** Creates a role; returns it. */
  async insert(role: RoleDefinition, createdBy: string | null, isSystem = false): Promise<RoleRecord> {
    const now = iso(Date.now());
    const id = randomUUID();
    await this.ctx.db
      .insertInto('roles')
      .values({
        id,
        name: role.name,
        description: role.description,
        scope: role.scope,
        permissions: toJson(role.permissions),
        is_system_role: isSystem ? 1 : 0,
        created_by: createdBy,
        created_at: now,
        updated_at: now,
      })
      .execute();
    return (await this.find(id))!;
  }

  async update(
    id: string,
    changes: { description?: string; permissions?: readonly string[] },
  ): Promise<void> {
    await this.ctx.db
      .updateTable('roles')
      .set({
        ...(changes.description !== undefined ? { description: changes.description } : {}),
        ...(changes.permissions !== undefined ? { permissions: toJson(changes.permissions) } : {}),
        updated_at: iso(Date.now()),
      })
      .where('id', '=', id)
      .execute();
  }

  async delete(id: string): Promise<boolean> {
    const r = await this.ctx.db.deleteFrom('roles').where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  /**
   * Makes sure every built-in role exists as a system role with the built-in permissions (idempotent, safe
   * when several replicas start at once).
   */
  async seedSystemRoles(roles: Iterable<RoleDefinition>): Promise<void> {
    const now = iso(Date.now());
    for (const role of roles) {
      await insertIgnore(this.ctx, 'roles', {
        id: randomUUID(),
        name: role.name,
        description: role.description,
        scope: role.scope,
        permissions: toJson(role.permissions),
        is_system_role: 1,
        created_by: null,
        created_at: now,
        updated_at: now,
      });
      await this.ctx.db
        .updateTable('roles')
        .set({ permissions: toJson(role.permissions), scope: role.scope, is_system_role: 1 })
        .where('name', '=', role.name)
        .execute();
    }
  }

  /** The grants of one user (or of everyone holding `roleId`). */
  async grants(filter: { userEmail?: string; roleId?: string }): Promise<RoleGrant[]> {
    let q = this.ctx.db
      .selectFrom('user_roles')
      .innerJoin('roles', 'roles.id', 'user_roles.role_id')
      .select([
        'user_roles.id',
        'user_roles.user_email',
        'user_roles.role_id',
        'roles.name',
        'user_roles.team_id',
        'user_roles.granted_by',
        'user_roles.granted_at',
      ]);
    if (filter.userEmail !== undefined) q = q.where('user_roles.user_email', '=', filter.userEmail);
    if (filter.roleId !== undefined) q = q.where('user_roles.role_id', '=', filter.roleId);
    const rows = await q.orderBy('roles.name').orderBy('user_roles.id').execute();
    return rows.map((r) => ({
      id: r.id,
      userEmail: r.user_email,
      roleId: r.role_id,
      roleName: r.name,
      teamId: r.team_id,
      grantedBy: r.granted_by,
      grantedAt: r.granted_at,
    }));
  }

  /** Grants a role; a repeated grant is a no-op. @returns true when this call granted it */
  assign(
    userEmail: string,
    roleId: string,
    teamId: string | null,
    grantedBy: string | null,
  ): Promise<boolean> {
    return insertIgnore(this.ctx, 'user_roles', {
      id: randomUUID(),
      user_email: userEmail,
      role_id: roleId,
      team_id: teamId,
      scope_key: teamId ?? '',
      granted_by: grantedBy,
      granted_at: iso(Date.now()),
    });
  }

  /** Removes a grant; `teamId` undefined removes it in every scope. @returns how many grants were removed */
  async revoke(userEmail: string, roleId: string, teamId?: string | null): Promise<number> {
    let q = this.ctx.db
      .deleteFrom('user_roles')
      .where('user_email', '=', userEmail)
      .where('role_id', '=', roleId);
    if (teamId !== undefined) q = q.where('scope_key', '=', teamId ?? '');
    return Number((await q.executeTakeFirst()).numDeletedRows);
  }
}
