import { randomUUID } from 'node:crypto';
import { GatewayError } from '../../errors.js';
import { slugify } from '../../registry/common/naming.js';
import type { Principal } from '../../security/authn/principal.js';
import { SecurityError } from '../../security/errors.js';
import { assertPermission } from '../../security/rbac/permission-checker.js';
import { iso } from '../stores/store-context.js';
import type { MemberRow, TeamRow } from '../stores/team-store.js';
import type { AuditActor } from './audit-recorder.js';
import type { AuthDeps } from './auth-deps.js';

/** Membership roles (ContextForge): owners manage the team, members use it. */
export type MemberRole = 'owner' | 'member';

/** A team as the API shows it (ContextForge's TeamResponse). */
export interface TeamOutput {
  id: string;
  name: string;
  slug: string;
  description: string | null;
  created_by: string;
  is_personal: boolean;
  visibility: string;
  max_members: number | null;
  member_count: number;
  created_at: string;
  updated_at: string;
  is_active: boolean;
}

/** Maps a team row (and its member count) to the API shape. */
export function teamOutput(t: TeamRow, memberCount: number): TeamOutput {
  return {
    id: t.id,
    name: t.name,
    slug: t.slug,
    description: t.description,
    created_by: t.created_by,
    is_personal: Number(t.is_personal) === 1,
    visibility: t.visibility,
    max_members: t.max_members,
    member_count: memberCount,
    created_at: t.created_at,
    updated_at: t.updated_at,
    is_active: Number(t.is_active) === 1,
  };
}

/**
 * Teams, memberships and invitations. Team-level permissions are checked in the team's context
 * (`teams.update`, `teams.delete`, `teams.manage_members` are held by the team's owners through
 * DEFAULT_TEAM_OWNER_ROLE); a team keeps at least one owner, and personal teams keep exactly their user.
 */
export class TeamService {
  constructor(private readonly d: AuthDeps) {}

  /** Creates the personal team of a new user (idempotent). */
  async createPersonal(email: string): Promise<TeamRow> {
    const existing = await this.d.teams.personalTeamOf(email);
    if (existing) return existing;
    const local = email.split('@')[0] ?? 'user';
    const team = await this.#insert(
      {
        name: `${local}'s team`,
        slug: await this.#freeSlug(`personal-${slugify(email) || 'user'}`),
        description: `Personal team of ${email}`,
        visibility: 'private',
        maxMembers: 1,
        personal: true,
      },
      email,
    );
    return team;
  }

  /**
   * Creates a team owned by the caller.
   * @throws SecurityError FORBIDDEN (team creation disabled, team limit), GatewayError CONFLICT (slug)
   */
  async create(
    principal: Principal,
    input: {
      name: string;
      slug?: string | undefined;
      description?: string | null | undefined;
      visibility?: string | undefined;
      max_members?: number | null | undefined;
    },
    actor: AuditActor,
  ): Promise<TeamRow> {
    const email = this.emailOf(principal);
    if (!this.d.config.ALLOW_TEAM_CREATION && !principal.isAdmin)
      throw new SecurityError('FORBIDDEN', 'team creation is disabled (ALLOW_TEAM_CREATION=false)');
    await this.#assertTeamLimit(email);
    const slug = input.slug ?? (await this.#freeSlug(slugify(input.name) || 'team'));
    if (await this.d.teams.findBySlug(slug))
      throw new GatewayError('CONFLICT', `team slug '${slug}' is already used`, { field: 'slug' });
    const team = await this.#insert(
      {
        name: input.name,
        slug,
        description: input.description ?? null,
        visibility: input.visibility ?? 'private',
        maxMembers: input.max_members ?? null,
        personal: false,
      },
      email,
    );
    await this.d.bus.publish({ kind: 'subject', id: email });
    this.d.audit.record(actor, {
      action: 'team.created',
      target: { type: 'team', id: team.id, name: team.name },
    });
    return team;
  }

  /**
   * A team the caller may see: a member's team, a public team, or any team for platform admins.
   * @throws GatewayError NOT_FOUND (also for teams the caller may not see)
   */
  async getVisible(principal: Principal, id: string): Promise<TeamRow> {
    const team = await this.d.teams.get(id);
    if (!team || Number(team.is_active) !== 1) throw notFound(id);
    if (principal.isAdmin || team.visibility === 'public' || (await this.#isMember(principal, id)))
      return team;
    throw notFound(id);
  }

  /** The teams of the caller (platform admins: every team). */
  async listFor(principal: Principal, options: { limit: number; offset: number }): Promise<TeamRow[]> {
    if (principal.isAdmin && principal.teams.kind === 'admin-bypass') return this.d.teams.list(options);
    const email = principal.email;
    if (!email) return [];
    return (await this.d.teams.teamsOf(email)).slice(options.offset, options.offset + options.limit);
  }

  /** Public teams the caller is not a member of (ContextForge `/teams/discover`). */
  async discover(principal: Principal, options: { limit: number; offset: number }): Promise<TeamRow[]> {
    const mine = new Set(
      principal.email ? (await this.d.teams.teamsOf(principal.email)).map((t) => t.id) : [],
    );
    return (await this.d.teams.list({ ...options, publicOnly: true })).filter((t) => !mine.has(t.id));
  }

  /** Member counts for API output. */
  memberCounts(ids: readonly string[]): Promise<Map<string, number>> {
    return this.d.teams.memberCounts(ids);
  }

  /** @throws SecurityError FORBIDDEN (no teams.update in the team), GatewayError NOT_FOUND */
  async update(
    principal: Principal,
    id: string,
    changes: {
      name?: string | undefined;
      description?: string | null | undefined;
      visibility?: string | undefined;
      max_members?: number | null | undefined;
    },
    actor: AuditActor,
  ): Promise<TeamRow> {
    const team = await this.getVisible(principal, id);
    this.assertIn(principal, 'teams.update', id);
    if (
      Number(team.is_personal) === 1 &&
      (changes.visibility === 'public' || changes.max_members !== undefined)
    ) {
      throw new GatewayError('VALIDATION_FAILED', 'a personal team stays private with its one member', {
        field: changes.visibility !== undefined ? 'visibility' : 'max_members',
      });
    }
    await this.d.teams.update(id, {
      ...(changes.name !== undefined ? { name: changes.name } : {}),
      ...(changes.description !== undefined ? { description: changes.description } : {}),
      ...(changes.visibility !== undefined ? { visibility: changes.visibility } : {}),
      ...(changes.max_members !== undefined ? { max_members: changes.max_members } : {}),
      updated_at: iso(Date.now()),
    });
    this.d.audit.record(actor, {
      action: 'team.updated',
      target: { type: 'team', id },
      details: { changed: Object.keys(changes) },
    });
    return (await this.d.teams.get(id))!;
  }

  /** @throws SecurityError FORBIDDEN (no teams.delete, personal team), GatewayError NOT_FOUND */
  async delete(principal: Principal, id: string, actor: AuditActor): Promise<void> {
    const team = await this.getVisible(principal, id);
    this.assertIn(principal, 'teams.delete', id);
    if (Number(team.is_personal) === 1)
      throw new SecurityError('FORBIDDEN', 'personal teams cannot be deleted');
    const members = await this.d.teams.members(id);
    await this.d.teams.delete(id);
    for (const m of members) await this.d.bus.publish({ kind: 'subject', id: m.user_email });
    this.d.audit.record(actor, { action: 'team.deleted', target: { type: 'team', id, name: team.name } });
  }

  /** Members of a team the caller belongs to (or any team, for platform admins). */
  async members(principal: Principal, id: string): Promise<MemberRow[]> {
    await this.getVisible(principal, id);
    if (!principal.isAdmin && !(await this.#isMember(principal, id))) throw notFound(id);
    return this.d.teams.members(id);
  }

  /**
   * Adds a user directly (owners and admins; invitations are the self-service way).
   * @throws GatewayError NOT_FOUND (user), CONFLICT (already a member), SecurityError FORBIDDEN (limits)
   */
  async addMember(
    principal: Principal,
    id: string,
    email: string,
    role: MemberRole,
    actor: AuditActor,
  ): Promise<MemberRow> {
    const team = await this.getVisible(principal, id);
    this.assertIn(principal, 'teams.manage_members', id);
    if (!(await this.d.users.find(email)))
      throw new GatewayError('NOT_FOUND', `user '${email}' not found`, { field: 'email' });
    return this.join(team, email, role, principal.email ?? principal.subject, actor);
  }

  /**
   * Changes a member's role. The last owner cannot be demoted (nor demote themselves).
   * @throws GatewayError NOT_FOUND, CONFLICT (last owner), SecurityError FORBIDDEN
   */
  async setMemberRole(
    principal: Principal,
    id: string,
    email: string,
    role: MemberRole,
    actor: AuditActor,
  ): Promise<MemberRow> {
    const team = await this.getVisible(principal, id);
    this.assertIn(principal, 'teams.manage_members', id);
    const member = await this.d.teams.member(id, email);
    if (!member)
      throw new GatewayError('NOT_FOUND', `'${email}' is not a member of team '${id}'`, { field: 'email' });
    if (Number(team.is_personal) === 1)
      throw new SecurityError('FORBIDDEN', 'the owner of a personal team stays its owner');
    if (member.role === 'owner' && role !== 'owner') await this.#assertNotLastOwner(id, email);
    await this.d.teams.setMemberRole(id, email, role);
    await this.d.bus.publish({ kind: 'subject', id: email });
    this.d.audit.record(actor, {
      action: 'team.member.updated',
      target: { type: 'team', id },
      details: { email, role },
    });
    return (await this.d.teams.member(id, email))!;
  }

  /**
   * Removes a member (owners/admins), or the caller leaves. The last owner cannot go; a personal team keeps
   * its user.
   */
  async removeMember(principal: Principal, id: string, email: string, actor: AuditActor): Promise<void> {
    const team = await this.getVisible(principal, id);
    if (email !== principal.email) this.assertIn(principal, 'teams.manage_members', id);
    const member = await this.d.teams.member(id, email);
    if (!member)
      throw new GatewayError('NOT_FOUND', `'${email}' is not a member of team '${id}'`, { field: 'email' });
    if (Number(team.is_personal) === 1) throw new SecurityError('FORBIDDEN', 'nobody leaves a personal team');
    if (member.role === 'owner') await this.#assertNotLastOwner(id, email);
    await this.d.teams.removeMember(id, email);
    await this.d.bus.publish({ kind: 'subject', id: email });
    this.d.audit.record(actor, {
      action: 'team.member.removed',
      target: { type: 'team', id },
      details: { email },
    });
  }

  /** Adds a member (limits checked, audited, caches invalidated); used by invitations too. */
  async join(
    team: TeamRow,
    email: string,
    role: MemberRole,
    invitedBy: string,
    actor: AuditActor,
  ): Promise<MemberRow> {
    if (await this.d.teams.member(team.id, email))
      throw new GatewayError('CONFLICT', `'${email}' is already a member`, { field: 'email' });
    const max = team.max_members ?? this.d.config.MAX_MEMBERS_PER_TEAM;
    if ((await this.d.teams.countMembers(team.id)) >= max)
      throw new SecurityError('FORBIDDEN', `team '${team.name}' is full (${max} members)`);
    await this.#assertTeamLimit(email);
    await this.d.teams.addMember({
      team_id: team.id,
      user_email: email,
      role,
      joined_at: iso(Date.now()),
      invited_by: invitedBy,
    });
    await this.d.bus.publish({ kind: 'subject', id: email });
    this.d.audit.record(actor, {
      action: 'team.member.added',
      target: { type: 'team', id: team.id },
      details: { email, role },
    });
    return (await this.d.teams.member(team.id, email))!;
  }

  async #insert(
    t: {
      name: string;
      slug: string;
      description: string | null;
      visibility: string;
      maxMembers: number | null;
      personal: boolean;
    },
    owner: string,
  ): Promise<TeamRow> {
    const now = iso(Date.now());
    const id = randomUUID().replaceAll('-', '');
    await this.d.teams.insert({
      id,
      name: t.name,
      slug: t.slug,
      description: t.description,
      is_personal: t.personal ? 1 : 0,
      visibility: t.visibility,
      max_members: t.maxMembers,
      created_by: owner,
      is_active: 1,
      created_at: now,
      updated_at: now,
    });
    await this.d.teams.addMember({
      team_id: id,
      user_email: owner,
      role: 'owner',
      joined_at: now,
      invited_by: null,
    });
    return (await this.d.teams.get(id))!;
  }

  async #freeSlug(base: string): Promise<string> {
    const root = base.slice(0, 200);
    for (let i = 0; ; i++) {
      const slug = i === 0 ? root : `${root}-${i + 1}`;
      if (!(await this.d.teams.findBySlug(slug))) return slug;
    }
  }

  async #assertTeamLimit(email: string): Promise<void> {
    if ((await this.d.teams.countTeamsOf(email)) >= this.d.config.MAX_TEAMS_PER_USER) {
      throw new SecurityError(
        'FORBIDDEN',
        `'${email}' already belongs to ${this.d.config.MAX_TEAMS_PER_USER} teams (MAX_TEAMS_PER_USER)`,
      );
    }
  }

  async #assertNotLastOwner(id: string, email: string): Promise<void> {
    if ((await this.d.teams.countMembers(id, 'owner')) <= 1) {
      throw new GatewayError(
        'CONFLICT',
        `'${email}' is the last owner of team '${id}': make someone else owner first`,
        {
          field: 'role',
        },
      );
    }
  }

  async #isMember(principal: Principal, id: string): Promise<boolean> {
    return principal.email ? (await this.d.teams.member(id, principal.email)) !== undefined : false;
  }

  /** Throws unless the caller holds `permission` in team `teamId`. */
  assertIn(principal: Principal, permission: string, teamId: string): void {
    assertPermission(this.d.catalog.map, principal, permission, { teamId });
  }

  /** The caller's email, or 403 for credentials that name no user. */
  emailOf(principal: Principal): string {
    if (!principal.email || principal.authMethod === 'anonymous') {
      throw new SecurityError('FORBIDDEN', 'this needs a user account (the credential names no user)');
    }
    return principal.email;
  }
}

function notFound(id: string): GatewayError {
  return new GatewayError('NOT_FOUND', `team '${id}' not found`);
}
