import { z } from 'zod';
import type { GatewayConfig } from '../../config/settings.js';
import { GatewayError } from '../../errors.js';
import { defineRoute, type RouteDef } from '../../http/route-def.js';
import type { LoginGuard } from '../../security/passwords/login-guard.js';
import { SELF_PERMISSION } from '../authz/request-authorizer.js';
import type { AuditRecorder } from '../services/audit-recorder.js';
import type { SessionService } from '../services/session-service.js';
import { type UserService, userOutput } from '../services/user-service.js';
import type { DbAuditSink } from '../stores/db-audit-sink.js';
import { caller, emailField, emailParams, ok, pageQuery } from './route-support.js';

/** What the authentication routes use. */
export interface AuthRouteDeps {
  config: GatewayConfig;
  sessions: SessionService;
  users: UserService;
  guard: LoginGuard;
  auditSink: DbAuditSink | undefined;
  audit: AuditRecorder;
}

const password = z.string().min(1).max(1024);
const loginBody = z
  .object({ email: emailField.optional(), username: emailField.optional(), password })
  .strict()
  .refine((b) => b.email !== undefined || b.username !== undefined, {
    message: 'email is required',
    path: ['email'],
  });

const userOut = z.object({
  email: z.string(),
  full_name: z.string().nullable(),
  is_admin: z.boolean(),
  is_active: z.boolean(),
  auth_provider: z.string(),
  created_at: z.string(),
  last_login: z.string().nullable(),
  email_verified: z.boolean(),
  password_change_required: z.boolean(),
});
const sessionOut = z.object({
  access_token: z.string(),
  token_type: z.literal('bearer'),
  expires_in: z.number(),
  user: userOut,
});

/**
 * Authentication and account routes (ContextForge's `/auth` and `/auth/email` routers, under `/v1`):
 * login (public; also as `/v1/auth/email/login`), logout, refresh, the caller's profile and password,
 * self-registration when PUBLIC_REGISTRATION_ENABLED, user administration (`admin.user_management`) and
 * the auth event log.
 */
export function authRoutes(d: AuthRouteDeps): RouteDef[] {
  const tag = 'Authentication';
  const login = (path: string) =>
    defineRoute({
      method: 'POST',
      path,
      permission: null,
      public: true,
      tag,
      summary: 'Sign in with email and password: returns a session token (also set as the jwt_token cookie)',
      body: loginBody,
      response: sessionOut,
      handler: async ({ body, c }) => {
        c.set('audited', true);
        return { body: await d.sessions.login(c, (body.email ?? body.username)!, body.password) };
      },
    });
  const routes: RouteDef[] = [
    login('/v1/auth/login'),
    login('/v1/auth/email/login'),
    defineRoute({
      method: 'POST',
      path: '/v1/auth/logout',
      permission: SELF_PERMISSION,
      tag,
      summary: 'Sign out: revokes the session token everywhere and clears the cookies',
      handler: async ({ c }) => {
        const { p } = caller(c);
        await d.sessions.logout(c, p);
        return ok('signed out');
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/v1/auth/refresh',
      permission: SELF_PERMISSION,
      tag,
      summary:
        'Renew a session token (the old one is revoked), up to SESSION_MAX_LIFETIME_MINUTES after the login',
      response: sessionOut,
      handler: async ({ c }) => {
        const { p } = caller(c);
        return { body: await d.sessions.refresh(c, p) };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/v1/auth/email/me',
      permission: SELF_PERMISSION,
      tag,
      summary: 'The signed-in user',
      response: userOut,
      handler: async ({ c }) => {
        const { p } = caller(c);
        return { body: userOutput(await d.users.get(p.email ?? p.subject)) };
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/v1/auth/email/change-password',
      permission: SELF_PERMISSION,
      tag,
      summary: "Change the caller's password (ends their other sessions)",
      body: z.object({ old_password: password, new_password: password }).strict(),
      handler: async ({ body, c }) => {
        const { p, actor } = caller(c);
        await d.users.changeOwnPassword(p, body.old_password, body.new_password, actor);
        return ok('password changed; sign in again');
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/v1/auth/email/events',
      permission: SELF_PERMISSION,
      tag,
      summary: "The caller's recent authentication events",
      query: pageQuery,
      handler: async ({ query, c }) => {
        const { p } = caller(c);
        return { body: (await d.auditSink?.query({ action: 'auth.*', actor: p.subject, ...query })) ?? [] };
      },
    }),
  ];
  if (d.config.PUBLIC_REGISTRATION_ENABLED) {
    routes.push(
      defineRoute({
        method: 'POST',
        path: '/v1/auth/email/register',
        permission: null,
        public: true,
        tag,
        summary: 'Create an account (PUBLIC_REGISTRATION_ENABLED) and sign in',
        body: z.object({ email: emailField, password, full_name: z.string().max(255).optional() }).strict(),
        response: sessionOut,
        handler: async ({ body, c }) => {
          const { actor } = caller(c);
          await d.users.create(
            { email: body.email, password: body.password, fullName: body.full_name },
            actor,
          );
          return { status: 201, body: await d.sessions.login(c, body.email, body.password) };
        },
      }),
    );
  }
  return [...routes, ...userAdminRoutes(d)];
}

function userAdminRoutes(d: AuthRouteDeps): RouteDef[] {
  const tag = 'Users';
  const permission = 'admin.user_management';
  const update = z
    .object({
      full_name: z.string().max(255).nullable().optional(),
      is_admin: z.boolean().optional(),
      is_active: z.boolean().optional(),
      password_change_required: z.boolean().optional(),
      password: password.optional(),
    })
    .strict();
  return [
    defineRoute({
      method: 'GET',
      path: '/v1/auth/email/admin/users',
      permission,
      tag,
      summary: 'Users (search by email or name)',
      query: pageQuery.extend({ search: z.string().max(255).optional() }),
      response: z.array(userOut),
      handler: async ({ query }) => ({
        body: (
          await d.users.list({
            limit: query.limit,
            offset: query.offset,
            ...(query.search ? { search: query.search } : {}),
          })
        ).map(userOutput),
      }),
    }),
    defineRoute({
      method: 'POST',
      path: '/v1/auth/email/admin/users',
      permission,
      tag,
      summary: 'Create a user (password policy applies; personal team and default role are added)',
      body: z
        .object({
          email: emailField,
          password,
          full_name: z.string().max(255).nullable().optional(),
          is_admin: z.boolean().default(false),
          password_change_required: z.boolean().default(false),
        })
        .strict(),
      response: userOut,
      status: 201,
      handler: async ({ body, c }) => {
        const { actor } = caller(c);
        const user = await d.users.create(
          {
            email: body.email,
            password: body.password,
            fullName: body.full_name,
            isAdmin: body.is_admin,
            passwordChangeRequired: body.password_change_required,
          },
          actor,
        );
        return { status: 201, body: userOutput(user) };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/v1/auth/email/admin/users/{email}',
      permission,
      tag,
      summary: 'One user',
      params: emailParams,
      response: userOut,
      handler: async ({ params }) => ({ body: userOutput(await d.users.get(params.email)) }),
    }),
    defineRoute({
      method: 'PUT',
      path: '/v1/auth/email/admin/users/{email}',
      permission,
      tag,
      summary:
        'Update a user (admin flag, active flag, name; `password` resets it). The last admin stays an admin.',
      params: emailParams,
      body: update,
      response: userOut,
      handler: async ({ params, body, c }) => {
        const { actor } = caller(c);
        if (body.password !== undefined)
          await d.users.setPassword(
            params.email,
            body.password,
            actor,
            body.password_change_required ?? false,
          );
        const user = await d.users.update(
          params.email,
          {
            ...(body.full_name !== undefined ? { fullName: body.full_name } : {}),
            ...(body.is_admin !== undefined ? { isAdmin: body.is_admin } : {}),
            ...(body.is_active !== undefined ? { isActive: body.is_active } : {}),
            ...(body.password_change_required !== undefined
              ? { passwordChangeRequired: body.password_change_required }
              : {}),
          },
          actor,
        );
        return { body: userOutput(user) };
      },
    }),
    defineRoute({
      method: 'DELETE',
      path: '/v1/auth/email/admin/users/{email}',
      permission,
      tag,
      summary: 'Delete a user (not oneself, not the last admin)',
      params: emailParams,
      handler: async ({ params, c }) => {
        const { actor } = caller(c);
        await d.users.delete(params.email, actor);
        return ok(`user ${params.email} deleted`);
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/v1/auth/email/admin/users/{email}/unlock',
      permission,
      tag,
      summary: 'Clear the lockout of an account after failed logins',
      params: emailParams,
      handler: async ({ params, c }) => {
        const { actor } = caller(c);
        const user = await d.users.get(params.email);
        await d.guard.unlock(user.email);
        d.audit.record(actor, { action: 'user.unlocked', target: { type: 'user', id: user.email } });
        return ok(`user ${user.email} unlocked`);
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/v1/auth/email/admin/events',
      permission,
      tag,
      summary: 'Authentication events of every user',
      query: pageQuery.extend({ user_email: emailField.optional() }),
      handler: async ({ query }) => {
        if (!d.auditSink)
          throw new GatewayError('NOT_FOUND', 'the audit trail is disabled (AUDIT_TRAIL_ENABLED=false)');
        return {
          body: await d.auditSink.query({
            action: 'auth.*',
            limit: query.limit,
            offset: query.offset,
            ...(query.user_email ? { actor: query.user_email } : {}),
          }),
        };
      },
    }),
  ];
}
