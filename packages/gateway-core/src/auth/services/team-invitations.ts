import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { GatewayError } from '../../errors.js';
import type { Principal } from '../../security/authn/principal.js';
import { SecurityError } from '../../security/errors.js';
import { iso } from '../stores/store-context.js';
import type { InvitationRow, MemberRow } from '../stores/team-store.js';
import type { AuditActor } from './audit-recorder.js';
import type { AuthDeps } from './auth-deps.js';
import type { MemberRole, TeamService } from './team-service.js';

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Team invitations: owners invite an email (the token is returned once and stored only as a SHA-256
 * hash), the invited user accepts it once before it expires (INVITATION_EXPIRY_DAYS), owners revoke
 * pending ones.
 */
export class TeamInvitationService {
  constructor(
    private readonly d: AuthDeps,
    private readonly teams: TeamService,
  ) {}

  /**
   * Invites an email (which need not have an account yet). The token is returned once; only its hash is kept.
   */
  async invite(
    principal: Principal,
    id: string,
    email: string,
    role: MemberRole,
    actor: AuditActor,
  ): Promise<{ invitation: InvitationRow; token: string }> {
    const team = await this.teams.getVisible(principal, id);
    this.teams.assertIn(principal, 'teams.manage_members', id);
    if (Number(team.is_personal) === 1)
      throw new SecurityError('FORBIDDEN', 'personal teams take no invitations');
    if (await this.d.teams.member(id, email))
      throw new GatewayError('CONFLICT', `'${email}' is already a member`, { field: 'email' });
    const token = randomBytes(24).toString('base64url');
    const now = Date.now();
    const row: InvitationRow = {
      id: randomUUID(),
      team_id: id,
      email,
      role,
      token_hash: hashToken(token),
      invited_by: principal.email ?? principal.subject,
      created_at: iso(now),
      expires_at: iso(now + this.d.config.INVITATION_EXPIRY_DAYS * 86_400_000),
      accepted_at: null,
      revoked_at: null,
    };
    await this.d.teams.insertInvitation(row);
    this.d.audit.record(actor, {
      action: 'team.invitation.created',
      target: { type: 'team', id },
      details: { email, role },
    });
    return { invitation: row, token };
  }

  /** Pending invitations of a team (owners and admins). */
  async list(principal: Principal, id: string): Promise<InvitationRow[]> {
    await this.teams.getVisible(principal, id);
    this.teams.assertIn(principal, 'teams.manage_members', id);
    return this.d.teams.invitations(id);
  }

  /** Revokes an invitation. */
  async revoke(principal: Principal, invitationId: string, actor: AuditActor): Promise<void> {
    const inv = await this.d.teams.invitation(invitationId);
    if (!inv) throw new GatewayError('NOT_FOUND', `invitation '${invitationId}' not found`);
    this.teams.assertIn(principal, 'teams.manage_members', inv.team_id);
    if (!(await this.d.teams.closeInvitation(inv.id, 'revoked_at', iso(Date.now())))) {
      throw new GatewayError('CONFLICT', 'the invitation was already answered');
    }
    this.d.audit.record(actor, {
      action: 'team.invitation.revoked',
      target: { type: 'team', id: inv.team_id },
    });
  }

  /**
   * Accepts an invitation by its token: the caller must be the invited email; each invitation is used once.
   * @throws GatewayError NOT_FOUND (unknown token), CONFLICT (used, expired), SecurityError FORBIDDEN (other email)
   */
  async accept(principal: Principal, token: string, actor: AuditActor): Promise<MemberRow> {
    const inv = await this.d.teams.invitationByHash(hashToken(token));
    if (!inv) throw new GatewayError('NOT_FOUND', 'invitation not found', { field: 'token' });
    const email = this.teams.emailOf(principal);
    if (inv.email !== email)
      throw new SecurityError('FORBIDDEN', 'this invitation is for another email address');
    if (inv.accepted_at || inv.revoked_at)
      throw new GatewayError('CONFLICT', 'the invitation was already answered');
    if (Date.parse(inv.expires_at) <= Date.now())
      throw new GatewayError('CONFLICT', 'the invitation has expired');
    const team = await this.d.teams.get(inv.team_id);
    if (!team) throw new GatewayError('NOT_FOUND', 'the team no longer exists');
    if (!(await this.d.teams.closeInvitation(inv.id, 'accepted_at', iso(Date.now())))) {
      throw new GatewayError('CONFLICT', 'the invitation was already answered');
    }
    return this.teams.join(team, email, inv.role === 'owner' ? 'owner' : 'member', inv.invited_by, actor);
  }
}
