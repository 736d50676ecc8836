import type { Insertable, Selectable, Updateable } from 'kysely';
import type { TeamInvitationsTable, TeamMembersTable, TeamsTable } from '../db/auth-schema.js';
import type { StoreContext } from './store-context.js';

/** A stored team. */
export type TeamRow = Selectable<TeamsTable>;
/** A stored membership. */
export type MemberRow = Selectable<TeamMembersTable>;
/** A stored invitation. */
export type InvitationRow = Selectable<TeamInvitationsTable>;

/** Teams, memberships and invitations (`teams`, `team_members`, `team_invitations`). */
export class TeamStore {
  constructor(private readonly ctx: Pick<StoreContext, 'db'>) {}

  get(id: string): Promise<TeamRow | undefined> {
    return this.ctx.db.selectFrom('teams').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findBySlug(slug: string): Promise<TeamRow | undefined> {
    return this.ctx.db.selectFrom('teams').selectAll().where('slug', '=', slug).executeTakeFirst();
  }

  async insert(row: Insertable<TeamsTable>): Promise<void> {
    await this.ctx.db.insertInto('teams').values(row).execute();
  }

  async update(id: string, changes: Updateable<TeamsTable>): Promise<boolean> {
    const r = await this.ctx.db.updateTable('teams').set(changes).where('id', '=', id).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async delete(id: string): Promise<boolean> {
    const r = await this.ctx.db.deleteFrom('teams').where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  /** The personal team of `email`, if any. */
  personalTeamOf(email: string): Promise<TeamRow | undefined> {
    return this.ctx.db
      .selectFrom('teams')
      .innerJoin('team_members', 'team_members.team_id', 'teams.id')
      .selectAll('teams')
      .where('teams.is_personal', '=', 1)
      .where('teams.created_by', '=', email)
      .where('team_members.user_email', '=', email)
      .executeTakeFirst();
  }

  /** Teams `email` belongs to (active ones), with the membership role, ordered by name. */
  teamsOf(email: string): Promise<Array<TeamRow & { member_role: string }>> {
    return this.ctx.db
      .selectFrom('teams')
      .innerJoin('team_members', 'team_members.team_id', 'teams.id')
      .selectAll('teams')
      .select('team_members.role as member_role')
      .where('team_members.user_email', '=', email)
      .where('teams.is_active', '=', 1)
      .orderBy('teams.name')
      .orderBy('teams.id')
      .execute();
  }

  /** Every team, ordered by name (admin listing), or only public ones (discovery). */
  list(options: { limit: number; offset: number; publicOnly?: boolean }): Promise<TeamRow[]> {
    let q = this.ctx.db.selectFrom('teams').selectAll().where('is_active', '=', 1);
    if (options.publicOnly) q = q.where('visibility', '=', 'public').where('is_personal', '=', 0);
    return q.orderBy('name').orderBy('id').limit(options.limit).offset(options.offset).execute();
  }

  /** Member counts of the given teams. */
  async memberCounts(teamIds: readonly string[]): Promise<Map<string, number>> {
    if (teamIds.length === 0) return new Map();
    const rows = await this.ctx.db
      .selectFrom('team_members')
      .select(['team_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('team_id', 'in', [...teamIds])
      .groupBy('team_id')
      .execute();
    return new Map(rows.map((r) => [r.team_id, Number(r.n)]));
  }

  members(teamId: string): Promise<MemberRow[]> {
    return this.ctx.db
      .selectFrom('team_members')
      .selectAll()
      .where('team_id', '=', teamId)
      .orderBy('user_email')
      .execute();
  }

  member(teamId: string, email: string): Promise<MemberRow | undefined> {
    return this.ctx.db
      .selectFrom('team_members')
      .selectAll()
      .where('team_id', '=', teamId)
      .where('user_email', '=', email)
      .executeTakeFirst();
  }

  async addMember(row: Insertable<TeamMembersTable>): Promise<void> {
    await this.ctx.db.insertInto('team_members').values(row).execute();
  }

  async setMemberRole(teamId: string, email: string, role: string): Promise<boolean> {
    const r = await this.ctx.db
      .updateTable('team_members')
      .set({ role })
      .where('team_id', '=', teamId)
      .where('user_email', '=', email)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async removeMember(teamId: string, email: string): Promise<boolean> {
    const r = await this.ctx.db
      .deleteFrom('team_members')
      .where('team_id', '=', teamId)
      .where('user_email', '=', email)
      .executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  /** Members of `teamId` with `role`. */
  async countMembers(teamId: string, role?: string): Promise<number> {
    let q = this.ctx.db
      .selectFrom('team_members')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('team_id', '=', teamId);
    if (role !== undefined) q = q.where('role', '=', role);
    return Number((await q.executeTakeFirst())?.n ?? 0);
  }

  /** Teams `email` belongs to. */
  async countTeamsOf(email: string): Promise<number> {
    const row = await this.ctx.db
      .selectFrom('team_members')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_email', '=', email)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  async insertInvitation(row: Insertable<TeamInvitationsTable>): Promise<void> {
    await this.ctx.db.insertInto('team_invitations').values(row).execute();
  }

  invitationByHash(tokenHash: string): Promise<InvitationRow | undefined> {
    return this.ctx.db
      .selectFrom('team_invitations')
      .selectAll()
      .where('token_hash', '=', tokenHash)
      .executeTakeFirst();
  }

  invitation(id: string): Promise<InvitationRow | undefined> {
    return this.ctx.db.selectFrom('team_invitations').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Pending invitations of a team, newest first. */
  invitations(teamId: string): Promise<InvitationRow[]> {
    return this.ctx.db
      .selectFrom('team_invitations')
      .selectAll()
      .where('team_id', '=', teamId)
      .where('accepted_at', 'is', null)
      .where('revoked_at', 'is', null)
      .orderBy('created_at', 'desc')
      .execute();
  }

  /**
   * Marks an invitation answered (accepted or revoked) unless it already was.
   * @returns true when this call changed it (so two concurrent accepts cannot both succeed)
   */
  async closeInvitation(id: string, field: 'accepted_at' | 'revoked_at', at: string): Promise<boolean> {
    const r = await this.ctx.db
      .updateTable('team_invitations')
      .set({ [field]: at })
      .where('id', '=', id)
      .where('accepted_at', 'is', null)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }
}
