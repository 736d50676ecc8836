import type { Context } from 'hono';
import { z } from 'zod';
import { GatewayError } from '../../errors.js';
import type { GatewayServices } from '../../gateway.js';
import { defineRoute, type RouteDef } from '../../http/route-def.js';
import type { RoleMap } from '../../security/rbac/permission-checker.js';
import { guardEntity } from '../authz/entity-guard.js';
import type { AuditRecorder } from '../services/audit-recorder.js';
import { safeReturnTo } from '../services/sso-login-service.js';
import type { UpstreamOAuthService } from '../services/upstream-oauth-service.js';
import type { DbOAuthTokenStore } from '../stores/db-oauth-stores.js';
import type { OAuthClientStore, RegisteredOAuthClient } from '../stores/oauth-client-store.js';
import { assertAuthorizationCode, authorizationResponseFields, caller, ok } from './route-support.js';

/** What the upstream OAuth routes use. */
export interface OAuthRouteDeps {
  oauth: UpstreamOAuthService;
  tokens: DbOAuthTokenStore;
  clients: OAuthClientStore;
  services: GatewayServices;
  roles: () => RoleMap;
  audit: AuditRecorder;
  baseUrl: (c: Context) => string;
}

const gatewayParams = z.object({ gateway_id: z.string().min(1).max(64) }).strict();
const clientOut = (c: RegisteredOAuthClient) => ({
  id: c.id,
  gateway_id: c.gatewayId,
  issuer: c.issuer,
  client_id: c.clientId,
  redirect_uris: c.redirectUris,
  token_endpoint_auth_method: c.tokenEndpointAuthMethod,
  has_client_secret: c.clientSecret !== null,
  created_at: c.createdAt,
});

/**
 * Upstream OAuth routes (ContextForge's unversioned `/oauth` router): a signed-in user authorizes an
 * OAuth-protected upstream for themselves (`/oauth/authorize/{gateway_id}` → the upstream's authorization
 * server → `/oauth/callback`, PKCE S256 and a one-time state bound to the user), checks the token's
 * status; administrators see and delete the gateway's dynamic client registrations.
 */
export function oauthRoutes(d: OAuthRouteDeps): RouteDef[] {
  const tag = 'OAuth';
  const visibleGateway = async (c: Context, id: string) => {
    const { p } = caller(c);
    const gateway = await d.services.gateways.get(id);
    guardEntity(d.roles(), p, 'gateways.read', gateway, 'gateway');
    return { p, gateway };
  };
  return [
    defineRoute({
      method: 'GET',
      path: '/oauth/authorize/{gateway_id}',
      permission: 'gateways.read',
      tag,
      summary: 'Start authorizing an OAuth upstream for the caller: redirects to its authorization server',
      params: gatewayParams,
      query: z.object({ return_to: z.string().max(2048).optional() }).strict(),
      handler: async ({ params, query, c }) => {
        const { p, gateway } = await visibleGateway(c, params.gateway_id);
        const cfg = await d.oauth.configFor(gateway.id, d.baseUrl(c));
        if (cfg.grantType !== 'authorization_code') {
          throw new GatewayError(
            'UNPROCESSABLE',
            `gateway '${gateway.id}' uses ${cfg.grantType}; nothing to authorize`,
          );
        }
        const returnTo = safeReturnTo(query.return_to);
        const { url } = await d.oauth.client.startAuthorization(cfg, p.email ?? p.subject, returnTo);
        return c.redirect(url, 302);
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/oauth/callback',
      permission: null,
      public: true,
      tag,
      summary: 'Authorization server callback: stores the user’s upstream tokens (encrypted)',
      query: z
        .object({
          ...authorizationResponseFields,
          scope: z.string().max(1024).optional(),
        })
        .strict(),
      handler: async ({ query, c }) => {
        c.set('audited', true);
        assertAuthorizationCode(query, 'oauth: the authorization server');
        const base = d.baseUrl(c);
        const done = await d.oauth.client.completeAuthorization(
          { state: query.state, code: query.code, ...(query.iss ? { iss: query.iss } : {}) },
          (gatewayId) => d.oauth.configFor(gatewayId, base).catch(() => undefined),
        );
        d.audit.record(
          { subject: done.userEmail ?? 'gateway' },
          { action: 'oauth.authorized', target: { type: 'gateway', id: done.gatewayId } },
        );
        if (done.returnTo) return c.redirect(done.returnTo, 302);
        return {
          body: {
            success: true,
            gateway_id: done.gatewayId,
            user_email: done.userEmail,
            message: 'upstream authorized',
          },
        };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/oauth/status/{gateway_id}',
      permission: 'gateways.read',
      tag,
      summary: 'Whether the caller (or, for client credentials, the gateway) holds an upstream token',
      params: gatewayParams,
      handler: async ({ params, c }) => {
        const { p, gateway } = await visibleGateway(c, params.gateway_id);
        const cfg = await d.oauth.configFor(gateway.id, d.baseUrl(c));
        const user = cfg.grantType === 'client_credentials' ? null : (p.email ?? null);
        const status = await d.tokens.status({ gatewayId: gateway.id, userEmail: user });
        return {
          body: {
            gateway_id: gateway.id,
            grant_type: cfg.grantType,
            authorized: status !== undefined,
            expires_at: status?.expiresAt ? new Date(status.expiresAt).toISOString() : null,
            has_refresh_token: status?.hasRefreshToken ?? false,
            scope: status?.scope ?? null,
            authorize_url:
              cfg.grantType === 'authorization_code' ? `${d.baseUrl(c)}/oauth/authorize/${gateway.id}` : null,
          },
        };
      },
    }),
    defineRoute({
      method: 'DELETE',
      path: '/oauth/status/{gateway_id}',
      permission: 'gateways.read',
      tag,
      summary: "Forget the caller's upstream token (disconnect)",
      params: gatewayParams,
      handler: async ({ params, c }) => {
        const { p, gateway, actor } = { ...(await visibleGateway(c, params.gateway_id)), ...caller(c) };
        await d.tokens.delete({ gatewayId: gateway.id, userEmail: p.email ?? null });
        d.audit.record(actor, { action: 'oauth.revoked', target: { type: 'gateway', id: gateway.id } });
        return ok('upstream token forgotten');
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/oauth/registered-clients',
      permission: 'admin.oauth_clients:read',
      tag,
      summary: 'Client registrations the gateway made at upstream authorization servers (RFC 7591)',
      handler: async () => ({ body: { clients: (await d.clients.list()).map(clientOut) } }),
    }),
    defineRoute({
      method: 'GET',
      path: '/oauth/registered-clients/{gateway_id}',
      permission: 'admin.oauth_clients:read',
      tag,
      summary: 'The client registrations of one gateway',
      params: gatewayParams,
      handler: async ({ params }) => ({
        body: { clients: (await d.clients.list(params.gateway_id)).map(clientOut) },
      }),
    }),
    defineRoute({
      method: 'DELETE',
      path: '/oauth/registered-clients/{client_id}',
      permission: 'admin.oauth_clients:delete',
      tag,
      summary: 'Delete a client registration (the next authorization registers again)',
      params: z.object({ client_id: z.string().min(1).max(64) }).strict(),
      handler: async ({ params, c }) => {
        const { actor } = caller(c);
        if (!(await d.clients.delete(params.client_id)))
          throw new GatewayError('NOT_FOUND', `client registration '${params.client_id}' not found`);
        d.audit.record(actor, {
          action: 'oauth.client.deleted',
          target: { type: 'oauth_client', id: params.client_id },
        });
        return ok('client registration deleted');
      },
    }),
  ];
}
