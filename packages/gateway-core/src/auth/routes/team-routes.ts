import { z } from 'zod';
import { defineRoute, type RouteDef } from '../../http/route-def.js';
import { SELF_PERMISSION } from '../authz/request-authorizer.js';
import type { TeamInvitationService } from '../services/team-invitations.js';
import { type TeamService, teamOutput } from '../services/team-service.js';
import type { InvitationRow, MemberRow, TeamRow } from '../stores/team-store.js';
import { caller, emailField, idParam, ok, pageQuery } from './route-support.js';

const memberRole = z.enum(['owner', 'member']);
const teamFields = {
  description: z.string().max(1000).nullable().optional(),
  visibility: z.enum(['private', 'public']).optional(),
  max_members: z.number().int().min(1).max(100_000).nullable().optional(),
};
const memberParams = z.object({ id: z.string().min(1).max(64), email: emailField }).strict();

const memberOut = (m: MemberRow) => ({
  team_id: m.team_id,
  user_email: m.user_email,
  role: m.role,
  joined_at: m.joined_at,
  invited_by: m.invited_by,
  is_active: true,
});
const invitationOut = (i: InvitationRow, teamName: string, token?: string) => ({
  id: i.id,
  team_id: i.team_id,
  team_name: teamName,
  email: i.email,
  role: i.role,
  invited_by: i.invited_by,
  invited_at: i.created_at,
  expires_at: i.expires_at,
  is_active: !i.accepted_at && !i.revoked_at,
  is_expired: Date.parse(i.expires_at) <= Date.now(),
  ...(token ? { token } : {}),
});

/**
 * Team routes (ContextForge's `/teams` router, under `/v1`): teams, discovery, members, invitations (the
 * token is shown once), leaving. Route permissions are checked in any team; the services check them again
 * in the team concerned.
 */
export function teamRoutes(teams: TeamService, invitations: TeamInvitationService): RouteDef[] {
  const tag = 'Teams';
  const out = async (rows: TeamRow[]) => {
    const counts = await teams.memberCounts(rows.map((t) => t.id));
    return rows.map((t) => teamOutput(t, counts.get(t.id) ?? 0));
  };
  return [
    defineRoute({
      method: 'GET',
      path: '/v1/teams',
      permission: 'teams.read',
      tag,
      summary: "The caller's teams (platform admins: every team)",
      query: pageQuery,
      handler: async ({ query, c }) => {
        const { p } = caller(c);
        const rows = await teams.listFor(p, query);
        return { body: { teams: await out(rows), total: rows.length } };
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/v1/teams',
      // Self-service, as in ContextForge: any signed-in user may create teams while ALLOW_TEAM_CREATION is
      // on (no built-in role but platform_admin holds teams.create); administrators always may.
      permission: SELF_PERMISSION,
      tag,
      summary: 'Create a team owned by the caller (ALLOW_TEAM_CREATION)',
      body: z
        .object({
          name: z.string().min(1).max(255),
          slug: z
            .string()
            .regex(/^[a-z0-9][a-z0-9-]{1,254}$/)
            .optional(),
          ...teamFields,
        })
        .strict(),
      status: 201,
      handler: async ({ body, c }) => {
        const { p, actor } = caller(c);
        const team = await teams.create(p, body, actor);
        return { status: 201, body: (await out([team]))[0] };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/v1/teams/discover',
      permission: 'teams.read',
      tag,
      summary: 'Public teams the caller has not joined',
      query: pageQuery,
      handler: async ({ query, c }) => {
        const { p } = caller(c);
        return { body: await out(await teams.discover(p, query)) };
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/v1/teams/invitations/{token}/accept',
      permission: SELF_PERMISSION,
      tag,
      summary: 'Accept an invitation (as the invited email)',
      params: z.object({ token: z.string().min(16).max(128) }).strict(),
      handler: async ({ params, c }) => {
        const { p, actor } = caller(c);
        return { body: memberOut(await invitations.accept(p, params.token, actor)) };
      },
    }),
    defineRoute({
      method: 'DELETE',
      path: '/v1/teams/invitations/{id}',
      permission: 'teams.manage_members',
      tag,
      summary: 'Revoke a pending invitation',
      params: idParam,
      handler: async ({ params, c }) => {
        const { p, actor } = caller(c);
        await invitations.revoke(p, params.id, actor);
        return ok('invitation revoked');
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/v1/teams/{id}',
      permission: 'teams.read',
      tag,
      summary: 'One team (members, public teams, or admins)',
      params: idParam,
      handler: async ({ params, c }) => {
        const { p } = caller(c);
        return { body: (await out([await teams.getVisible(p, params.id)]))[0] };
      },
    }),
    defineRoute({
      method: 'PUT',
      path: '/v1/teams/{id}',
      permission: 'teams.update',
      tag,
      summary: 'Update a team (its owners)',
      params: idParam,
      body: z.object({ name: z.string().min(1).max(255).optional(), ...teamFields }).strict(),
      handler: async ({ params, body, c }) => {
        const { p, actor } = caller(c);
        return { body: (await out([await teams.update(p, params.id, body, actor)]))[0] };
      },
    }),
    defineRoute({
      method: 'DELETE',
      path: '/v1/teams/{id}',
      permission: 'teams.delete',
      tag,
      summary: 'Delete a team (its owners; not a personal team)',
      params: idParam,
      handler: async ({ params, c }) => {
        const { p, actor } = caller(c);
        await teams.delete(p, params.id, actor);
        return ok(`team ${params.id} deleted`);
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/v1/teams/{id}/members',
      permission: 'teams.read',
      tag,
      summary: 'Members of a team (its members, or admins)',
      params: idParam,
      handler: async ({ params, c }) => {
        const { p } = caller(c);
        return { body: (await teams.members(p, params.id)).map(memberOut) };
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/v1/teams/{id}/members',
      permission: 'teams.manage_members',
      tag,
      summary: 'Add an existing user to the team (its owners)',
      params: idParam,
      body: z.object({ email: emailField, role: memberRole.default('member') }).strict(),
      status: 201,
      handler: async ({ params, body, c }) => {
        const { p, actor } = caller(c);
        return {
          status: 201,
          body: memberOut(await teams.addMember(p, params.id, body.email, body.role, actor)),
        };
      },
    }),
    defineRoute({
      method: 'PUT',
      path: '/v1/teams/{id}/members/{email}',
      permission: 'teams.manage_members',
      tag,
      summary: "Change a member's role (the last owner stays owner)",
      params: memberParams,
      body: z.object({ role: memberRole }).strict(),
      handler: async ({ params, body, c }) => {
        const { p, actor } = caller(c);
        return { body: memberOut(await teams.setMemberRole(p, params.id, params.email, body.role, actor)) };
      },
    }),
    defineRoute({
      method: 'DELETE',
      path: '/v1/teams/{id}/members/{email}',
      permission: 'teams.manage_members',
      tag,
      summary: 'Remove a member (the last owner cannot be removed)',
      params: memberParams,
      handler: async ({ params, c }) => {
        const { p, actor } = caller(c);
        await teams.removeMember(p, params.id, params.email, actor);
        return ok(`${params.email} removed from team ${params.id}`);
      },
    }),
    defineRoute({
      method: 'DELETE',
      path: '/v1/teams/{id}/leave',
      permission: SELF_PERMISSION,
      tag,
      summary: 'Leave a team (not as its last owner, not a personal team)',
      params: idParam,
      handler: async ({ params, c }) => {
        const { p, actor } = caller(c);
        await teams.removeMember(p, params.id, p.email ?? p.subject, actor);
        return ok(`left team ${params.id}`);
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/v1/teams/{id}/invitations',
      permission: 'teams.manage_members',
      tag,
      summary: 'Pending invitations (its owners)',
      params: idParam,
      handler: async ({ params, c }) => {
        const { p } = caller(c);
        const team = await teams.getVisible(p, params.id);
        return { body: (await invitations.list(p, params.id)).map((i) => invitationOut(i, team.name)) };
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/v1/teams/{id}/invitations',
      permission: 'teams.manage_members',
      tag,
      summary:
        'Invite an email to the team; the token (for /v1/teams/invitations/{token}/accept) is shown once',
      params: idParam,
      body: z.object({ email: emailField, role: memberRole.default('member') }).strict(),
      status: 201,
      handler: async ({ params, body, c }) => {
        const { p, actor } = caller(c);
        const team = await teams.getVisible(p, params.id);
        const { invitation, token } = await invitations.invite(p, params.id, body.email, body.role, actor);
        return { status: 201, body: invitationOut(invitation, team.name, token) };
      },
    }),
  ];
}
