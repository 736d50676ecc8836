import { z } from 'zod';
import { defineRoute, type RouteDef } from '../../http/route-def.js';
import type { Principal } from '../../security/authn/principal.js';
import { checkPermission } from '../../security/rbac/permission-checker.js';
import { PERMISSIONS } from '../../security/rbac/permissions.js';
import type { PrincipalEnricher } from '../authn/principal-enricher.js';
import { SELF_PERMISSION } from '../authz/request-authorizer.js';
import type { RoleCatalog } from '../authz/role-catalog.js';
import type { RoleService } from '../services/role-service.js';
import type { RoleGrant, RoleRecord } from '../stores/role-store.js';
import { caller, emailField, emailParams, ok } from './route-support.js';

const roleOut = (r: RoleRecord) => ({
  id: r.id,
  name: r.name,
  description: r.description || null,
  scope: r.scope,
  permissions: [...r.permissions],
  effective_permissions: [...r.permissions],
  inherits_from: null,
  created_by: r.createdBy ?? 'system',
  is_system_role: r.isSystemRole,
  is_active: true,
  created_at: r.createdAt,
  updated_at: r.updatedAt,
});
const grantOut = (g: RoleGrant) => ({
  id: g.id,
  user_email: g.userEmail,
  role_id: g.roleId,
  role_name: g.roleName,
  scope: g.teamId ? 'team' : 'global',
  scope_id: g.teamId,
  granted_by: g.grantedBy ?? 'system',
  granted_at: g.grantedAt,
  expires_at: null,
  is_active: true,
});
const permissions = z.array(z.string().min(1).max(128)).max(500);

/**
 * RBAC routes (ContextForge's `/rbac` router, under `/v1`): roles (built-in ones read-only), grants to
 * users, permission checks, and the caller's own roles and permissions.
 */
export function rbacRoutes(
  roles: RoleService,
  catalog: RoleCatalog,
  enricher: PrincipalEnricher,
): RouteDef[] {
  const tag = 'RBAC';
  const admin = 'admin.user_management';
  const principalOfUser = (email: string): Promise<Principal> =>
    enricher.enrich({
      subject: email,
      email,
      authMethod: 'api_token',
      isAdmin: false,
      teams: { kind: 'public-only' },
      roles: [],
    });
  return [
    defineRoute({
      method: 'GET',
      path: '/v1/rbac/roles',
      permission: admin,
      tag,
      summary: 'Roles (built-in and custom)',
      handler: async () => ({ body: (await roles.list()).map(roleOut) }),
    }),
    defineRoute({
      method: 'POST',
      path: '/v1/rbac/roles',
      permission: admin,
      tag,
      summary: 'Create a custom role',
      body: z
        .object({
          name: z.string().min(2).max(64),
          description: z.string().max(1000).nullable().optional(),
          scope: z.enum(['global', 'team']),
          permissions,
          inherits_from: z.null().optional(),
          is_system_role: z.literal(false).optional(),
        })
        .strict(),
      status: 201,
      handler: async ({ body, c }) => {
        const { actor } = caller(c);
        return { status: 201, body: roleOut(await roles.create(body, actor)) };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/v1/rbac/roles/{id}',
      permission: admin,
      tag,
      summary: 'One role (by id or name)',
      params: z.object({ id: z.string().min(1).max(64) }).strict(),
      handler: async ({ params }) => ({ body: roleOut(await roles.get(params.id)) }),
    }),
    defineRoute({
      method: 'PUT',
      path: '/v1/rbac/roles/{id}',
      permission: admin,
      tag,
      summary: 'Update a custom role (built-in roles are read-only)',
      params: z.object({ id: z.string().min(1).max(64) }).strict(),
      body: z
        .object({ description: z.string().max(1000).optional(), permissions: permissions.optional() })
        .strict(),
      handler: async ({ params, body, c }) => {
        const { actor } = caller(c);
        return { body: roleOut(await roles.update(params.id, body, actor)) };
      },
    }),
    defineRoute({
      method: 'DELETE',
      path: '/v1/rbac/roles/{id}',
      permission: admin,
      tag,
      summary: 'Delete a custom role (its grants go with it)',
      params: z.object({ id: z.string().min(1).max(64) }).strict(),
      handler: async ({ params, c }) => {
        const { actor } = caller(c);
        await roles.delete(params.id, actor);
        return ok(`role ${params.id} deleted`);
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/v1/rbac/users/{email}/roles',
      permission: admin,
      tag,
      summary: "A user's role grants",
      params: emailParams,
      handler: async ({ params }) => ({ body: (await roles.grantsOf(params.email)).map(grantOut) }),
    }),
    defineRoute({
      method: 'POST',
      path: '/v1/rbac/users/{email}/roles',
      permission: admin,
      tag,
      summary: 'Grant a role globally or in a team',
      params: emailParams,
      body: z
        .object({
          role_id: z.string().min(1).max(64),
          scope: z.enum(['global', 'team']),
          scope_id: z.string().min(1).max(64).nullable().optional(),
          expires_at: z.null().optional(),
        })
        .strict(),
      status: 201,
      handler: async ({ params, body, c }) => {
        const { actor } = caller(c);
        return { status: 201, body: grantOut(await roles.assign(params.email, body, actor)) };
      },
    }),
    defineRoute({
      method: 'DELETE',
      path: '/v1/rbac/users/{email}/roles/{role_id}',
      permission: admin,
      tag,
      summary: 'Revoke a role grant (not the last platform administrator, not one’s own platform_admin)',
      params: z.object({ email: emailField, role_id: z.string().min(1).max(64) }).strict(),
      query: z.object({ scope_id: z.string().min(1).max(64).optional() }).strict(),
      handler: async ({ params, query, c }) => {
        const { actor } = caller(c);
        await roles.revoke(params.email, params.role_id, query.scope_id, actor);
        return ok(`role ${params.role_id} revoked from ${params.email}`);
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/v1/rbac/permissions/check',
      permission: 'admin.security_audit',
      tag,
      summary: 'Would a user be allowed a permission (optionally in a team)?',
      body: z
        .object({
          user_email: emailField,
          permission: z.string().min(1).max(128),
          resource_type: z.string().max(64).optional(),
          resource_id: z.string().max(255).optional(),
          team_id: z.string().max(64).optional(),
        })
        .strict(),
      handler: async ({ body, c }) => {
        const { p } = caller(c);
        const subject = await principalOfUser(body.user_email);
        const d = checkPermission(
          catalog.map,
          subject,
          body.permission,
          body.team_id ? { teamId: body.team_id } : {},
        );
        return {
          body: {
            user_email: body.user_email,
            permission: body.permission,
            granted: d.allowed,
            checked_at: new Date().toISOString(),
            checked_by: p.subject,
          },
        };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/v1/rbac/permissions/user/{email}',
      permission: admin,
      tag,
      summary: 'Every permission a user holds somewhere',
      params: emailParams,
      handler: async ({ params }) => ({
        body: roles.effectivePermissions(await principalOfUser(params.email)),
      }),
    }),
    defineRoute({
      method: 'GET',
      path: '/v1/rbac/permissions/available',
      permission: SELF_PERMISSION,
      tag,
      summary: 'Every permission name, by resource',
      handler: async () => ({
        body: {
          all_permissions: Object.values(PERMISSIONS).flat(),
          permissions_by_resource: PERMISSIONS,
          total_count: Object.values(PERMISSIONS).flat().length,
        },
      }),
    }),
    defineRoute({
      method: 'GET',
      path: '/v1/rbac/my/roles',
      permission: SELF_PERMISSION,
      tag,
      summary: "The caller's roles (grants and team memberships)",
      handler: async ({ c }) => {
        const { p } = caller(c);
        return {
          body: p.roles.map((r) => ({
            role_name: r.role,
            scope: r.teamId ? 'team' : 'global',
            scope_id: r.teamId,
          })),
        };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/v1/rbac/my/permissions',
      permission: SELF_PERMISSION,
      tag,
      summary: 'Every permission the caller holds somewhere',
      handler: async ({ c }) => {
        const { p } = caller(c);
        return { body: roles.effectivePermissions(p) };
      },
    }),
  ];
}
