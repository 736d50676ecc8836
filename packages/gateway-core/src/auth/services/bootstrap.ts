import { randomBytes } from 'node:crypto';
import { GatewayError } from '../../errors.js';
import { isSecurityError } from '../../security/errors.js';
import { BUILTIN_ROLES } from '../../security/rbac/builtin-roles.js';
import type { AuthDeps } from './auth-deps.js';
import type { TeamService } from './team-service.js';
import { normaliseEmail, type UserService } from './user-service.js';

/** What start-up did about the bootstrap administrator. */
export interface BootstrapResult {
  /** PLATFORM_ADMIN_EMAIL. */
  adminEmail: string;
  /** True when this start created the administrator. */
  created: boolean;
  /**
   * The password generated for a new administrator when PLATFORM_ADMIN_PASSWORD is unset (development
   * only): shown once by `contextforge serve`, never logged.
   */
  generatedPassword?: string;
}

/** A random password that satisfies any password policy (upper, lower, digit, special). */
function generatedPassword(): string {
  return `Cf-${randomBytes(15).toString('base64url')}-7a`;
}

/**
 * Start-up bootstrap, safe when several replicas start at once: the built-in roles exist, and the platform
 * administrator PLATFORM_ADMIN_EMAIL exists (created with PLATFORM_ADMIN_PASSWORD; in development, with a
 * generated password returned once; in production the password is required). An existing administrator's
 * password is never overwritten.
 *
 * @throws GatewayError CONFIG_INVALID (production without PLATFORM_ADMIN_PASSWORD, weak password)
 */
export async function bootstrapAuth(
  d: AuthDeps,
  users: UserService,
  teams: TeamService,
  createAdmin = true,
): Promise<BootstrapResult> {
  await d.roles.seedSystemRoles(Object.values(BUILTIN_ROLES));
  await d.catalog.reload();
  const email = normaliseEmail(d.config.PLATFORM_ADMIN_EMAIL);
  const existing = await d.users.find(email);
  if (!createAdmin) return { adminEmail: email, created: false };
  if (existing) {
    if (d.config.AUTO_CREATE_PERSONAL_TEAMS) await teams.createPersonal(email);
    return { adminEmail: email, created: false };
  }
  if (!d.config.EMAIL_AUTH_ENABLED) return { adminEmail: email, created: false };
  let password = d.config.PLATFORM_ADMIN_PASSWORD;
  let generated: string | undefined;
  if (password === undefined) {
    if (d.config.ENVIRONMENT === 'production') {
      throw new GatewayError(
        'CONFIG_INVALID',
        'PLATFORM_ADMIN_PASSWORD: expected the bootstrap administrator password (required when ENVIRONMENT=production and the administrator does not exist yet), received nothing',
      );
    }
    generated = generatedPassword();
    password = generated;
  }
  try {
    await users.create(
      {
        email,
        password,
        fullName: d.config.PLATFORM_ADMIN_FULL_NAME,
        isAdmin: true,
        emailVerified: true,
      },
      { subject: 'bootstrap' },
    );
  } catch (error) {
    if (isSecurityError(error) && error.code === 'PASSWORD_POLICY') {
      throw new GatewayError(
        'CONFIG_INVALID',
        `PLATFORM_ADMIN_PASSWORD: ${error.message.replace(/^password: /, '')}`,
        { cause: error },
      );
    }
    // Another replica created it at the same moment.
    if (!(await d.users.find(email))) throw error;
    return { adminEmail: email, created: false };
  }
  d.logger.info({ email }, 'bootstrap platform administrator created');
  return { adminEmail: email, created: true, ...(generated ? { generatedPassword: generated } : {}) };
}
