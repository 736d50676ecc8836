import { GatewayError } from '../../errors.js';
import type { Principal } from '../../security/authn/principal.js';
import { SecurityError } from '../../security/errors.js';
import { assertPassword } from '../../security/passwords/password-policy.js';
import { iso } from '../stores/store-context.js';
import type { UserRow } from '../stores/user-store.js';
import type { AuditActor } from './audit-recorder.js';
import type { AuthDeps } from './auth-deps.js';
import type { TeamService } from './team-service.js';

/** A user as the API shows it (ContextForge's EmailUserResponse). */
export interface UserOutput {
  email: string;
  full_name: string | null;
  is_admin: boolean;
  is_active: boolean;
  auth_provider: string;
  created_at: string;
  last_login: string | null;
  email_verified: boolean;
  password_change_required: boolean;
}

/** What a new user starts with. */
export interface NewUser {
  email: string;
  password?: string | undefined;
  fullName?: string | null | undefined;
  isAdmin?: boolean | undefined;
  authProvider?: string | undefined;
  emailVerified?: boolean | undefined;
  passwordChangeRequired?: boolean | undefined;
}

/** Normalises an email for storage and lookup. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Maps a stored user to the API shape. */
export function userOutput(u: UserRow): UserOutput {
  return {
    email: u.email,
    full_name: u.full_name,
    is_admin: Number(u.is_admin) === 1,
    is_active: Number(u.is_active) === 1,
    auth_provider: u.auth_provider,
    created_at: u.created_at,
    last_login: u.last_login_at,
    email_verified: u.email_verified_at !== null,
    password_change_required: Number(u.password_change_required) === 1,
  };
}

/**
 * Users: creation (password policy, Argon2id, personal team, default role), updates with last-admin and
 * self-demotion protection, password changes and resets (which end existing login sessions), deletion.
 * Every change is audited and invalidates the user's cached credentials on every replica.
 */
export class UserService {
  constructor(
    private readonly d: AuthDeps,
    private readonly teams: TeamService,
  ) {}

  /** @throws GatewayError NOT_FOUND */
  async get(email: string): Promise<UserRow> {
    const user = await this.d.users.find(normaliseEmail(email));
    if (!user) throw new GatewayError('NOT_FOUND', `user '${email}' not found`);
    return user;
  }

  /**
   * Creates a user (with their personal team and the default role).
   * @throws GatewayError CONFLICT (exists), SecurityError PASSWORD_POLICY (422)
   */
  async create(input: NewUser, actor: AuditActor): Promise<UserRow> {
    const email = normaliseEmail(input.email);
    if (await this.d.users.find(email))
      throw new GatewayError('CONFLICT', `user '${email}' already exists`, { field: 'email' });
    let hash: string | null = null;
    if (input.password !== undefined) {
      assertPassword(input.password, this.d.policy, email);
      hash = await this.d.passwords.hash(input.password);
    }
    const now = iso(Date.now());
    await this.d.users.insert({
      email,
      password_hash: hash,
      full_name: input.fullName ?? null,
      is_admin: input.isAdmin ? 1 : 0,
      is_active: 1,
      auth_provider: input.authProvider ?? 'local',
      email_verified_at: input.emailVerified ? now : null,
      password_change_required: input.passwordChangeRequired ? 1 : 0,
      password_changed_at: hash ? now : null,
      last_login_at: null,
      created_at: now,
      updated_at: now,
    });
    if (this.d.config.AUTO_CREATE_PERSONAL_TEAMS) await this.teams.createPersonal(email);
    const role = this.d.config.DEFAULT_USER_ROLE;
    if (role && role !== 'none') {
      const record = await this.d.roles.find(role);
      if (record && record.scope === 'global')
        await this.d.roles.assign(email, record.id, null, actor.principal?.subject ?? null);
      else this.d.logger.warn({ role }, 'DEFAULT_USER_ROLE names no global role; new user gets none');
    }
    this.d.audit.record(actor, {
      action: 'user.created',
      target: { type: 'user', id: email },
      details: { is_admin: input.isAdmin === true, auth_provider: input.authProvider ?? 'local' },
    });
    return (await this.d.users.find(email))!;
  }

  /** Users ordered by email. */
  list(options: { limit: number; offset: number; search?: string }): Promise<UserRow[]> {
    return this.d.users.list(options);
  }

  /**
   * Updates a user's name, admin flag, active flag or password-change flag.
   * @throws GatewayError NOT_FOUND, CONFLICT (last admin), SecurityError FORBIDDEN (own admin rights)
   */
  async update(
    email: string,
    changes: {
      fullName?: string | null;
      isAdmin?: boolean;
      isActive?: boolean;
      passwordChangeRequired?: boolean;
    },
    actor: AuditActor,
  ): Promise<UserRow> {
    const user = await this.get(email);
    const wasAdmin = Number(user.is_admin) === 1 && Number(user.is_active) === 1;
    const losesAdmin = wasAdmin && (changes.isAdmin === false || changes.isActive === false);
    if (losesAdmin) await this.#assertNotLastAdmin(user.email, actor.principal);
    await this.d.users.update(user.email, {
      ...(changes.fullName !== undefined ? { full_name: changes.fullName } : {}),
      ...(changes.isAdmin !== undefined ? { is_admin: changes.isAdmin ? 1 : 0 } : {}),
      ...(changes.isActive !== undefined ? { is_active: changes.isActive ? 1 : 0 } : {}),
      ...(changes.passwordChangeRequired !== undefined
        ? { password_change_required: changes.passwordChangeRequired ? 1 : 0 }
        : {}),
      updated_at: iso(Date.now()),
    });
    await this.d.bus.publish({ kind: 'subject', id: user.email });
    this.d.audit.record(actor, {
      action: 'user.updated',
      target: { type: 'user', id: user.email },
      details: { changed: Object.keys(changes) },
    });
    return (await this.d.users.find(user.email))!;
  }

  /**
   * Sets a new password (admin reset, CLI, or after checking the old one), unlocks the account and ends
   * the user's existing login sessions.
   * @throws SecurityError PASSWORD_POLICY
   */
  async setPassword(
    email: string,
    password: string,
    actor: AuditActor,
    requireChange = false,
  ): Promise<void> {
    const user = await this.get(email);
    assertPassword(password, this.d.policy, user.email);
    const now = Date.now();
    await this.d.users.update(user.email, {
      password_hash: await this.d.passwords.hash(password),
      password_changed_at: iso(now),
      password_change_required: requireChange ? 1 : 0,
      updated_at: iso(now),
    });
    await this.d.store.db.deleteFrom('auth_login_failures').where('key', '=', user.email).execute();
    await this.d.bus.publish({ kind: 'subject', id: user.email });
    this.d.audit.record(actor, { action: 'user.password.changed', target: { type: 'user', id: user.email } });
  }

  /**
   * Changes the caller's own password after checking the current one.
   * @throws SecurityError INVALID_CREDENTIALS (wrong current password), PASSWORD_POLICY (also: unchanged)
   */
  async changeOwnPassword(
    principal: Principal,
    oldPassword: string,
    newPassword: string,
    actor: AuditActor,
  ): Promise<void> {
    const user = await this.get(principal.email ?? principal.subject);
    if (!user.password_hash || !(await this.d.passwords.verify(user.password_hash, oldPassword))) {
      throw new SecurityError('INVALID_CREDENTIALS', 'old_password: does not match', {
        field: 'old_password',
      });
    }
    if (oldPassword === newPassword) {
      throw new SecurityError('PASSWORD_POLICY', 'new_password: must differ from the current password', {
        field: 'new_password',
        details: { violations: ['reused'] },
      });
    }
    await this.setPassword(user.email, newPassword, actor);
  }

  /**
   * Deletes a user (their memberships, grants, tokens and SSO links go with them; so does their personal
   * team).
   * @throws GatewayError NOT_FOUND, CONFLICT (last admin), SecurityError FORBIDDEN (oneself)
   */
  async delete(email: string, actor: AuditActor): Promise<void> {
    const user = await this.get(email);
    if (actor.principal?.email === user.email) {
      throw new SecurityError('FORBIDDEN', 'you cannot delete your own account', { field: 'email' });
    }
    if (Number(user.is_admin) === 1 && Number(user.is_active) === 1)
      await this.#assertNotLastAdmin(user.email, actor.principal);
    const personal = await this.d.teams.personalTeamOf(user.email);
    await this.d.users.delete(user.email);
    if (personal) await this.d.teams.delete(personal.id);
    await this.d.bus.publish({ kind: 'subject', id: user.email });
    this.d.audit.record(actor, { action: 'user.deleted', target: { type: 'user', id: user.email } });
  }

  async #assertNotLastAdmin(email: string, by: Principal | undefined): Promise<void> {
    if (by?.email === email) {
      throw new SecurityError('FORBIDDEN', 'you cannot remove your own platform administrator rights', {
        field: 'is_admin',
      });
    }
    if ((await this.d.users.countActiveAdmins()) <= 1) {
      throw new GatewayError('CONFLICT', `'${email}' is the last active platform administrator`, {
        field: 'is_admin',
      });
    }
  }
}
