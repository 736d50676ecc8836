import type { Context } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import type { Principal } from '../../security/authn/principal.js';
import { isSecurityError, SecurityError } from '../../security/errors.js';
import { issueCsrfToken } from '../../security/http/csrf.js';
import type { TokenRevocationStore } from '../../security/jwt/revocation-store.js';
import type { LoginGuard } from '../../security/passwords/login-guard.js';
import type { TokenIssuer } from '../authn/token-issuer.js';
import { iso } from '../stores/store-context.js';
import type { UserRow } from '../stores/user-store.js';
import { AuditRecorder } from './audit-recorder.js';
import type { AuthDeps } from './auth-deps.js';
import { normaliseEmail, type UserOutput, userOutput } from './user-service.js';

/** The login answer (ContextForge's AuthenticationResponse). */
export interface SessionOutput {
  access_token: string;
  token_type: 'bearer';
  expires_in: number;
  user: UserOutput;
}

/** Name of the session cookie (ContextForge's). */
export const SESSION_COOKIE = 'jwt_token';

/**
 * Login sessions: email + password through the {@link LoginGuard} (lockout, timing-equalised failures),
 * short-lived session JWTs (TOKEN_EXPIRY) returned in the body and set as an HttpOnly cookie with a
 * double-submit CSRF cookie, refresh up to SESSION_MAX_LIFETIME_MINUTES after the login, and logout by
 * revoking the token's `jti` everywhere.
 */
export class SessionService {
  constructor(
    private readonly d: AuthDeps,
    private readonly guard: LoginGuard,
    private readonly issuer: TokenIssuer,
    private readonly revocation: TokenRevocationStore,
  ) {}

  /**
   * Checks the password and opens a session.
   * @throws SecurityError INVALID_CREDENTIALS / ACCOUNT_LOCKED (401), FORBIDDEN (email login disabled)
   */
  async login(c: Context, email: string, password: string): Promise<SessionOutput> {
    const actor = AuditRecorder.actorOf(c);
    const key = normaliseEmail(email);
    if (!this.d.config.EMAIL_AUTH_ENABLED)
      throw new SecurityError('FORBIDDEN', 'email and password login is disabled (EMAIL_AUTH_ENABLED=false)');
    let user: UserRow;
    try {
      const result = await this.guard.authenticate(key, password, async (e) => {
        const u = await this.d.users.find(e);
        // A disabled account fails exactly like a wrong password (no account state is revealed).
        return u && Number(u.is_active) === 1 ? { ...u, passwordHash: u.password_hash } : undefined;
      });
      user = result.user;
      if (result.needsRehash) {
        await this.d.users.update(user.email, { password_hash: await this.d.passwords.hash(password) });
      }
    } catch (error) {
      if (isSecurityError(error)) {
        this.d.audit.record(
          { ...actor, subject: key },
          {
            action: error.code === 'ACCOUNT_LOCKED' ? 'auth.login.locked' : 'auth.login.failed',
            outcome: 'failure',
            target: { type: 'user', id: key },
          },
        );
      }
      throw error;
    }
    await this.d.users.update(user.email, { last_login_at: iso(Date.now()) });
    const session = await this.open(c, user.email, Date.now());
    this.d.audit.record(
      { ...actor, subject: user.email },
      { action: 'auth.login.succeeded', target: { type: 'user', id: user.email } },
    );
    return { ...session, user: userOutput((await this.d.users.find(user.email))!) };
  }

  /**
   * Mints a session token for `email` (after a password or SSO login), sets the session and CSRF cookies.
   * `authTime` is the moment of the original login (refresh keeps it).
   */
  async open(c: Context, email: string, authTime: number): Promise<Omit<SessionOutput, 'user'>> {
    const minutes = this.d.config.TOKEN_EXPIRY;
    const user = await this.d.users.find(email);
    const token = await this.issuer.mint({
      subject: email,
      session: true,
      expiresInMinutes: minutes,
      // pwd_at ties the session to the current password: changing it ends the session (see the enricher).
      data: {
        auth_time: Math.floor(authTime / 1000),
        ...(user?.password_changed_at ? { pwd_at: user.password_changed_at } : {}),
      },
    });
    const secure = this.d.config.SECURE_COOKIES;
    setCookie(c, SESSION_COOKIE, token, {
      path: '/',
      httpOnly: true,
      secure,
      sameSite: this.d.config.COOKIE_SAMESITE === 'strict' ? 'Strict' : 'Lax',
      maxAge: minutes * 60,
    });
    issueCsrfToken(c, { secure, sameSite: 'Strict' });
    return { access_token: token, token_type: 'bearer', expires_in: minutes * 60 };
  }

  /**
   * Renews the caller's session token (rotating it: the old one is revoked), until
   * SESSION_MAX_LIFETIME_MINUTES after the login.
   * @throws SecurityError TOKEN_INVALID (not a session token), TOKEN_EXPIRED (session too old)
   */
  async refresh(c: Context, principal: Principal): Promise<SessionOutput> {
    if (principal.authMethod !== 'jwt' || principal.claims?.token_use !== 'session' || !principal.email) {
      throw new SecurityError('TOKEN_INVALID', 'only login session tokens can be refreshed', {
        details: { reason: 'not-session' },
      });
    }
    const authTime = Number(principal.claims.auth_time ?? principal.claims.iat) * 1000;
    if (
      !Number.isFinite(authTime) ||
      Date.now() - authTime > this.d.config.SESSION_MAX_LIFETIME_MINUTES * 60_000
    ) {
      throw new SecurityError('TOKEN_EXPIRED', 'the session is too old to refresh: sign in again', {
        details: { reason: 'max-lifetime' },
      });
    }
    await this.#revoke(principal, 'refreshed');
    const session = await this.open(c, principal.email, authTime);
    return { ...session, user: userOutput((await this.d.users.find(principal.email))!) };
  }

  /** Ends the caller's session (revokes a JWT's `jti` on every replica) and clears the cookies. */
  async logout(c: Context, principal: Principal): Promise<void> {
    if (principal.authMethod === 'jwt') await this.#revoke(principal, 'logout');
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    deleteCookie(c, 'mcpgateway_csrf_token', { path: '/' });
    this.d.audit.record(AuditRecorder.actorOf(c, principal), { action: 'auth.logout' });
  }

  /** Revokes a gateway JWT by its `jti` (logout, CLI), on every replica. */
  async revokeJwt(
    jti: string,
    expiresAt: number | null,
    by: string | undefined,
    reason: string,
  ): Promise<void> {
    await this.revocation.revoke({ jti, expiresAt, ...(by ? { revokedBy: by } : {}), reason });
    await this.d.bus.publish({ kind: 'token', id: jti });
  }

  async #revoke(principal: Principal, reason: string): Promise<void> {
    if (!principal.tokenId) return;
    await this.revokeJwt(principal.tokenId, principal.expiresAt ?? null, principal.email, reason);
  }
}
