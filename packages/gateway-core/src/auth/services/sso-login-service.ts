import type { Context } from 'hono';
import { GatewayError } from '../../errors.js';
import { SecurityError } from '../../security/errors.js';
import { mapSsoIdentity } from '../../security/sso/group-mapping.js';
import type { SsoIdentity } from '../../security/sso/sso-identity.js';
import { parseList } from '../config/parse-list.js';
import type { SsoStore } from '../stores/sso-store.js';
import { iso } from '../stores/store-context.js';
import { AuditRecorder } from './audit-recorder.js';
import type { AuthDeps } from './auth-deps.js';
import type { SessionOutput, SessionService } from './session-service.js';
import type { SsoRegistry } from './sso-registry.js';
import type { UserService } from './user-service.js';
import { userOutput } from './user-service.js';

/** Where to go after a login: a same-origin path only (open-redirect protection). */
export function safeReturnTo(value: string | undefined): string | undefined {
  if (!value?.startsWith('/') || value.startsWith('//') || value.includes('\\')) return undefined;
  return /[\r\n]/.test(value) ? undefined : value.slice(0, 2048);
}

/**
 * SSO login: starts the provider's authorization-code + PKCE flow, and on the callback turns the verified
 * identity into a gateway user (linked by provider + subject; an existing account is linked by email only
 * when the provider verified that email), applies the mapping rules (admin, global roles, team
 * memberships) and opens a session.
 */
export class SsoLoginService {
  constructor(
    private readonly d: AuthDeps,
    private readonly registry: SsoRegistry,
    private readonly sso: SsoStore,
    private readonly users: UserService,
    private readonly sessions: SessionService,
  ) {}

  /**
   * The URL to send the browser to.
   * @throws GatewayError NOT_FOUND (unknown or disabled provider)
   */
  async start(providerId: string, baseUrl: string, returnTo?: string, loginHint?: string): Promise<string> {
    const provider = this.registry.provider(providerId, this.redirectUri(baseUrl, providerId));
    if (!provider) throw new GatewayError('NOT_FOUND', `SSO provider '${providerId}' is not enabled`);
    const safe = safeReturnTo(returnTo);
    const { url } = await provider.startLogin({
      ...(safe ? { returnTo: safe } : {}),
      ...(loginHint ? { loginHint } : {}),
    });
    return url;
  }

  /**
   * Completes a login from the callback query.
   * @throws SecurityError OAUTH_INVALID_STATE, OIDC_FAILED, FORBIDDEN (domain not trusted, no auto-create)
   */
  async finish(
    c: Context,
    providerId: string,
    baseUrl: string,
    query: { state: string; code: string; iss?: string | undefined },
  ): Promise<{ session: SessionOutput; returnTo?: string }> {
    const actor = AuditRecorder.actorOf(c);
    const entry = this.registry.entry(providerId);
    const provider = this.registry.provider(providerId, this.redirectUri(baseUrl, providerId));
    if (!entry || !provider)
      throw new GatewayError('NOT_FOUND', `SSO provider '${providerId}' is not enabled`);
    let identity: SsoIdentity;
    let returnTo: string | undefined;
    try {
      ({ identity, returnTo } = await provider.finishLogin({
        state: query.state,
        code: query.code,
        ...(query.iss ? { iss: query.iss } : {}),
      }));
    } catch (error) {
      this.d.audit.record(actor, {
        action: 'auth.sso.failed',
        outcome: 'failure',
        details: { provider: providerId, reason: (error as Error).message },
      });
      throw error;
    }
    const email = await this.#userFor(providerId, identity);
    const mapped = mapSsoIdentity(identity, entry.rules);
    await this.#applyMapping(email, mapped, providerId);
    await this.d.users.update(email, { last_login_at: iso(Date.now()) });
    const opened = await this.sessions.open(c, email, Date.now());
    this.d.audit.record(
      { ...actor, subject: email },
      {
        action: 'auth.sso.succeeded',
        target: { type: 'user', id: email },
        details: { provider: providerId, groups: identity.groups.length, admin: mapped.isAdmin },
      },
    );
    return {
      session: { ...opened, user: userOutput((await this.d.users.find(email))!) },
      ...(returnTo ? { returnTo } : {}),
    };
  }

  /** The callback URL registered at providers: `<base>/v1/auth/sso/callback/<provider>`. */
  redirectUri(baseUrl: string, providerId: string): string {
    return `${baseUrl}/v1/auth/sso/callback/${encodeURIComponent(providerId)}`;
  }

  async #userFor(providerId: string, identity: SsoIdentity): Promise<string> {
    const trusted = parseList(this.d.config.SSO_TRUSTED_DOMAINS).map((d) => d.toLowerCase());
    const domain = identity.email.split('@')[1]?.toLowerCase() ?? '';
    if (trusted.length > 0 && !trusted.includes(domain))
      throw new SecurityError(
        'FORBIDDEN',
        `sso: email domain '${domain}' is not trusted (SSO_TRUSTED_DOMAINS)`,
      );
    const linked = await this.sso.userOf(providerId, identity.subject);
    if (linked) {
      const user = await this.d.users.find(linked);
      if (!user || Number(user.is_active) !== 1)
        throw new SecurityError('UNAUTHENTICATED', 'account is disabled');
      return linked;
    }
    const existing = await this.d.users.find(identity.email);
    if (existing) {
      // Linking by email to an account made elsewhere is only safe when the provider vouches for the email.
      if (!identity.emailVerified)
        throw new SecurityError(
          'FORBIDDEN',
          'sso: the provider has not verified this email; it cannot be linked to an existing account',
        );
      if (Number(existing.is_active) !== 1) throw new SecurityError('UNAUTHENTICATED', 'account is disabled');
    } else {
      if (!this.d.config.SSO_AUTO_CREATE_USERS)
        throw new SecurityError(
          'FORBIDDEN',
          'sso: no account exists for this email and SSO_AUTO_CREATE_USERS is off',
        );
      await this.users.create(
        {
          email: identity.email,
          fullName: identity.name ?? null,
          authProvider: providerId,
          emailVerified: identity.emailVerified,
        },
        { subject: 'sso' },
      );
    }
    await this.sso.link(providerId, identity.subject, identity.email);
    return identity.email;
  }

  async #applyMapping(
    email: string,
    mapped: ReturnType<typeof mapSsoIdentity>,
    providerId: string,
  ): Promise<void> {
    if (mapped.isAdmin) await this.d.users.update(email, { is_admin: 1 });
    for (const name of mapped.globalRoles) {
      const role = await this.d.roles.find(name);
      if (role?.scope === 'global') await this.d.roles.assign(email, role.id, null, `sso:${providerId}`);
    }
    for (const { teamId: ref, role: teamRole } of mapped.teams) {
      const team = (await this.d.teams.get(ref)) ?? (await this.d.teams.findBySlug(ref));
      if (!team) {
        this.d.logger.warn(
          { team: ref, provider: providerId },
          'SSO mapping names a team that does not exist',
        );
        continue;
      }
      const owner = teamRole === this.d.config.DEFAULT_TEAM_OWNER_ROLE;
      if (!(await this.d.teams.member(team.id, email))) {
        await this.d.teams.addMember({
          team_id: team.id,
          user_email: email,
          role: owner ? 'owner' : 'member',
          joined_at: iso(Date.now()),
          invited_by: `sso:${providerId}`,
        });
      }
      if (!owner && teamRole !== this.d.config.DEFAULT_TEAM_MEMBER_ROLE) {
        const role = await this.d.roles.find(teamRole);
        if (role?.scope === 'team') await this.d.roles.assign(email, role.id, team.id, `sso:${providerId}`);
      }
    }
    await this.d.bus.publish({ kind: 'subject', id: email });
  }
}
