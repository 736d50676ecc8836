import type { Context } from 'hono';
import { z } from 'zod';
import { GatewayError } from '../../errors.js';
import { defineRoute, type RouteDef } from '../../http/route-def.js';
import type { AuthBus } from '../authn/auth-bus.js';
import type { AuditRecorder } from '../services/audit-recorder.js';
import type { SsoLoginService } from '../services/sso-login-service.js';
import type { SsoRegistry } from '../services/sso-registry.js';
import type { SsoStore, StoredSsoProvider } from '../stores/sso-store.js';
import { assertAuthorizationCode, authorizationResponseFields, caller, ok } from './route-support.js';

/** What the SSO routes use. */
export interface SsoRouteDeps {
  login: SsoLoginService;
  registry: SsoRegistry;
  store: SsoStore;
  bus: AuthBus;
  audit: AuditRecorder;
  baseUrl: (c: Context) => string;
}

const providerId = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'lowercase letters, digits, _ and -');
const providerBody = z
  .object({
    id: providerId,
    kind: z.enum(['oidc', 'github']).default('oidc'),
    display_name: z.string().min(1).max(255),
    issuer: z.url().max(2048).nullable().optional(),
    client_id: z.string().min(1).max(255),
    client_secret: z.string().min(1).max(4096).nullable().optional(),
    scopes: z.array(z.string().min(1).max(128)).max(32).optional(),
    groups_claims: z.array(z.string().min(1).max(256)).max(16).optional(),
    roles_claims: z.array(z.string().min(1).max(256)).max(16).optional(),
    mapping_rules: z.array(z.record(z.string(), z.unknown())).max(500).optional(),
    web_url: z.url().max(2048).optional(),
    api_url: z.url().max(2048).optional(),
    enabled: z.boolean().default(true),
  })
  .strict()
  .refine((b) => b.kind === 'github' || !!b.issuer, {
    message: 'an OIDC provider needs an issuer',
    path: ['issuer'],
  });

/** A provider as the admin API shows it (the client secret never). */
const providerOut = (p: StoredSsoProvider) => ({
  id: p.id,
  kind: p.kind,
  display_name: p.displayName,
  issuer: p.issuer,
  client_id: p.clientId,
  client_secret: p.clientSecret ? '*****' : null,
  ...p.settings,
  enabled: p.enabled,
  created_at: p.createdAt,
  updated_at: p.updatedAt,
});

/**
 * SSO routes (ContextForge's `/auth/sso` router, under `/v1`): the provider list and login start (public),
 * the callback (public: the one-time `state` is the capability), and provider administration
 * (`admin.sso_providers:*`; the client secret is stored encrypted and never shown).
 */
export function ssoRoutes(d: SsoRouteDeps): RouteDef[] {
  const tag = 'SSO';
  const reload = async () => {
    await d.registry.reload();
    await d.bus.publish({ kind: 'providers' });
  };
  return [
    defineRoute({
      method: 'GET',
      path: '/v1/auth/sso/providers',
      permission: null,
      public: true,
      tag,
      summary: 'Enabled SSO providers (for a login page)',
      handler: async ({ c }) => ({
        body: d.registry.list().map((e) => ({
          id: e.id,
          name: e.id,
          display_name: e.displayName,
          authorization_url: `${d.baseUrl(c)}/v1/auth/sso/login/${e.id}`,
        })),
      }),
    }),
    defineRoute({
      method: 'GET',
      path: '/v1/auth/sso/login/{provider}',
      permission: null,
      public: true,
      tag,
      summary: 'Start an SSO login: redirects to the provider (authorization code + PKCE + state)',
      params: z.object({ provider: providerId }).strict(),
      query: z
        .object({ return_to: z.string().max(2048).optional(), login_hint: z.string().max(320).optional() })
        .strict(),
      handler: async ({ params, query, c }) => {
        const url = await d.login.start(params.provider, d.baseUrl(c), query.return_to, query.login_hint);
        return c.redirect(url, 302);
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/v1/auth/sso/callback/{provider}',
      permission: null,
      public: true,
      tag,
      summary:
        'SSO callback: signs the user in (session cookie) and redirects to return_to, or answers the session',
      params: z.object({ provider: providerId }).strict(),
      query: z
        .object({
          ...authorizationResponseFields,
          session_state: z.string().max(1024).optional(),
          scope: z.string().max(1024).optional(),
        })
        .strict(),
      handler: async ({ params, query, c }) => {
        c.set('audited', true);
        assertAuthorizationCode(query, 'sso: the provider');
        const { session, returnTo } = await d.login.finish(c, params.provider, d.baseUrl(c), {
          state: query.state,
          code: query.code,
          iss: query.iss,
        });
        return returnTo ? c.redirect(returnTo, 302) : { body: session };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/v1/auth/sso/admin/providers',
      permission: 'admin.sso_providers:read',
      tag,
      summary: 'SSO providers stored in the database',
      handler: async () => ({ body: (await d.store.listProviders()).map(providerOut) }),
    }),
    defineRoute({
      method: 'POST',
      path: '/v1/auth/sso/admin/providers',
      permission: 'admin.sso_providers:create',
      tag,
      summary: 'Add an SSO provider (generic OIDC or GitHub)',
      body: providerBody,
      status: 201,
      handler: async ({ body, c }) => {
        const { actor } = caller(c);
        if (await d.store.getProvider(body.id))
          throw new GatewayError('CONFLICT', `SSO provider '${body.id}' already exists`, { field: 'id' });
        const saved = await d.store.saveProvider(toStored(body, null));
        await reload();
        d.audit.record(actor, {
          action: 'sso.provider.created',
          target: { type: 'sso_provider', id: body.id },
        });
        return { status: 201, body: providerOut(saved) };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/v1/auth/sso/admin/providers/{id}',
      permission: 'admin.sso_providers:read',
      tag,
      summary: 'One stored SSO provider',
      params: z.object({ id: providerId }).strict(),
      handler: async ({ params }) => {
        const p = await d.store.getProvider(params.id);
        if (!p) throw new GatewayError('NOT_FOUND', `SSO provider '${params.id}' not found`);
        return { body: providerOut(p) };
      },
    }),
    defineRoute({
      method: 'PUT',
      path: '/v1/auth/sso/admin/providers/{id}',
      permission: 'admin.sso_providers:update',
      tag,
      summary: 'Replace a stored SSO provider (send client_secret "*****" or omit it to keep the stored one)',
      params: z.object({ id: providerId }).strict(),
      body: providerBody,
      handler: async ({ params, body, c }) => {
        const { actor } = caller(c);
        const before = await d.store.getProvider(params.id);
        if (!before) throw new GatewayError('NOT_FOUND', `SSO provider '${params.id}' not found`);
        if (body.id !== params.id)
          throw new GatewayError('VALIDATION_FAILED', 'id: cannot be changed', { field: 'id' });
        const saved = await d.store.saveProvider(toStored(body, before.clientSecret));
        await reload();
        d.audit.record(actor, {
          action: 'sso.provider.updated',
          target: { type: 'sso_provider', id: params.id },
        });
        return { body: providerOut(saved) };
      },
    }),
    defineRoute({
      method: 'DELETE',
      path: '/v1/auth/sso/admin/providers/{id}',
      permission: 'admin.sso_providers:delete',
      tag,
      summary: 'Delete a stored SSO provider',
      params: z.object({ id: providerId }).strict(),
      handler: async ({ params, c }) => {
        const { actor } = caller(c);
        if (!(await d.store.deleteProvider(params.id)))
          throw new GatewayError('NOT_FOUND', `SSO provider '${params.id}' not found`);
        await reload();
        d.audit.record(actor, {
          action: 'sso.provider.deleted',
          target: { type: 'sso_provider', id: params.id },
        });
        return ok(`SSO provider ${params.id} deleted`);
      },
    }),
  ];
}

function toStored(
  b: z.output<typeof providerBody>,
  previousSecret: string | null,
): Omit<StoredSsoProvider, 'createdAt' | 'updatedAt'> {
  const secret =
    b.client_secret === undefined || b.client_secret === '*****' ? previousSecret : b.client_secret;
  return {
    id: b.id,
    kind: b.kind,
    displayName: b.display_name,
    issuer: b.issuer ?? null,
    clientId: b.client_id,
    clientSecret: secret,
    settings: {
      ...(b.scopes ? { scopes: b.scopes } : {}),
      ...(b.groups_claims ? { groups_claims: b.groups_claims } : {}),
      ...(b.roles_claims ? { roles_claims: b.roles_claims } : {}),
      ...(b.mapping_rules ? { mapping_rules: b.mapping_rules } : {}),
      ...(b.web_url ? { web_url: b.web_url } : {}),
      ...(b.api_url ? { api_url: b.api_url } : {}),
    },
    enabled: b.enabled,
  };
}
