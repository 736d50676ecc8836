import { z } from 'zod';
import { defineRoute, type RouteDef } from '../../http/route-def.js';
import { assertPermission } from '../../security/rbac/permission-checker.js';
import type { RoleCatalog } from '../authz/role-catalog.js';
import { type TokenService, tokenOutput } from '../services/token-service.js';
import { caller, idParam, ok, pageQuery } from './route-support.js';

const scope = z
  .object({
    server_id: z
      .union([z.string().min(1).max(64), z.array(z.string().min(1).max(64)).max(100)])
      .nullable()
      .optional(),
    permissions: z.array(z.string().min(1).max(128)).max(100).optional(),
    ip_restrictions: z.array(z.string().min(1).max(64)).max(100).optional(),
  })
  .strict();
const tags = z.array(z.string().min(1).max(64)).max(32);
const createBody = z
  .object({
    name: z.string().trim().min(1).max(255),
    description: z.string().max(1000).nullable().optional(),
    expires_in_days: z.number().int().min(1).max(36_500).nullable().optional(),
    scope: scope.nullable().optional(),
    tags: tags.optional(),
    team_id: z.string().min(1).max(64).nullable().optional(),
  })
  .strict();
const listQuery = pageQuery.extend({ include_inactive: z.stringbool().default(false) });
type ListQuery = z.output<typeof listQuery>;
const teamParams = z.object({ team_id: z.string().min(1).max(64) }).strict();

/** The token store's paging options from a list query. */
function listOptions(query: ListQuery) {
  return { limit: query.limit, offset: query.offset, includeInactive: query.include_inactive };
}

/** A list answer: the tokens (never the secrets) and the paging they were read with. */
function tokenList(list: readonly Parameters<typeof tokenOutput>[0][], query: ListQuery) {
  return {
    body: {
      tokens: list.map((t) => tokenOutput(t)),
      total: list.length,
      limit: query.limit,
      offset: query.offset,
    },
  };
}

/**
 * API token routes (ContextForge's token catalog under `/v1/tokens`): create (the token is in the answer
 * once, as `access_token`), list, get, rename, revoke; team token listings for team owners; every token
 * for administrators.
 */
export function tokenRoutes(tokens: TokenService, catalog: RoleCatalog): RouteDef[] {
  const tag = 'Tokens';
  const created = (r: { token: string; info: Parameters<typeof tokenOutput>[0] }) => ({
    status: 201,
    body: { token: tokenOutput(r.info), access_token: r.token },
  });
  return [
    defineRoute({
      method: 'POST',
      path: '/v1/tokens',
      permission: 'tokens.create',
      tag,
      summary: 'Create an API token for the caller (shown once in access_token)',
      body: createBody,
      status: 201,
      handler: async ({ body, c }) => {
        const { p, actor } = caller(c);
        return created(await tokens.create(p, body, actor));
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/v1/tokens',
      permission: 'tokens.read',
      tag,
      summary: "The caller's tokens (never the secrets)",
      query: listQuery,
      handler: async ({ query, c }) => {
        const { p } = caller(c);
        return tokenList(await tokens.list(p, listOptions(query)), query);
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/v1/tokens/admin/all',
      permission: 'admin.user_management',
      tag,
      summary: 'Every token (administrators)',
      query: listQuery,
      handler: async ({ query }) => {
        return tokenList(await tokens.listAll(listOptions(query)), query);
      },
    }),
    defineRoute({
      method: 'DELETE',
      path: '/v1/tokens/admin/{id}',
      permission: 'admin.user_management',
      tag,
      summary: "Revoke anyone's token (administrators)",
      params: idParam,
      handler: async ({ params, c }) => {
        const { p, actor } = caller(c);
        await tokens.revoke(p, params.id, 'revoked by an administrator', actor);
        return ok(`token ${params.id} revoked`);
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/v1/tokens/teams/{team_id}',
      permission: 'teams.manage_members',
      tag,
      summary: "A team's tokens (its owners)",
      params: teamParams,
      query: listQuery,
      handler: async ({ params, query, c }) => {
        const { p } = caller(c);
        assertPermission(catalog.map, p, 'teams.manage_members', { teamId: params.team_id });
        return tokenList(await tokens.listAll({ teamId: params.team_id, ...listOptions(query) }), query);
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/v1/tokens/teams/{team_id}',
      permission: 'tokens.create',
      tag,
      summary: 'Create a token bound to a team the caller belongs to',
      params: teamParams,
      body: createBody.omit({ team_id: true }),
      status: 201,
      handler: async ({ params, body, c }) => {
        const { p, actor } = caller(c);
        return created(await tokens.create(p, { ...body, team_id: params.team_id }, actor));
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/v1/tokens/{id}',
      permission: 'tokens.read',
      tag,
      summary: 'One of the caller’s tokens',
      params: idParam,
      handler: async ({ params, c }) => {
        const { p } = caller(c);
        return { body: tokenOutput(await tokens.get(p, params.id)) };
      },
    }),
    defineRoute({
      method: 'PUT',
      path: '/v1/tokens/{id}',
      permission: 'tokens.update',
      tag,
      summary: 'Rename or re-describe a token (its scope is fixed at creation)',
      params: idParam,
      body: z
        .object({
          name: z.string().trim().min(1).max(255).optional(),
          description: z.string().max(1000).nullable().optional(),
          tags: tags.optional(),
        })
        .strict(),
      handler: async ({ params, body, c }) => {
        const { p, actor } = caller(c);
        return { body: tokenOutput(await tokens.update(p, params.id, body, actor)) };
      },
    }),
    defineRoute({
      method: 'DELETE',
      path: '/v1/tokens/{id}',
      permission: 'tokens.revoke',
      tag,
      summary: 'Revoke a token: every replica refuses it at once',
      params: idParam,
      query: z.object({ reason: z.string().max(255).optional() }).strict(),
      handler: async ({ params, query, c }) => {
        const { p, actor } = caller(c);
        await tokens.revoke(p, params.id, query.reason, actor);
        return ok(`token ${params.id} revoked`);
      },
    }),
  ];
}
