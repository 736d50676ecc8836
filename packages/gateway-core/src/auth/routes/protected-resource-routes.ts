import type { Context } from 'hono';
import { z } from 'zod';
import type { GatewayServices } from '../../gateway.js';
import { defineRoute, type RouteDef } from '../../http/route-def.js';
import { protectedResourceMetadata } from '../../security/oauth/protected-resource-metadata.js';

/** What the protected-resource metadata routes use. */
export interface ProtectedResourceDeps {
  services: GatewayServices;
  baseUrl: (c: Context) => string;
  /** Issuers of the authorization servers whose tokens the MCP endpoints accept. */
  authorizationServers: () => readonly string[];
  scopes: readonly string[];
}

/**
 * RFC 9728 protected-resource metadata of the MCP endpoints, so MCP clients can find where to get a token:
 * `/.well-known/oauth-protected-resource` (the gateway), `…/mcp` (the all-servers endpoint),
 * `…/servers/{id}/mcp` (path-inserted, RFC 9728 §3.1) and ContextForge's
 * `/servers/{id}/.well-known/oauth-protected-resource`. Public, as the RFC requires.
 */
export function protectedResourceRoutes(d: ProtectedResourceDeps): RouteDef[] {
  const tag = 'OAuth';
  const doc = (c: Context, path: string, name: string) => {
    c.header('Cache-Control', 'public, max-age=300');
    return {
      body: protectedResourceMetadata({
        resource: `${d.baseUrl(c)}${path}`,
        authorizationServers: d.authorizationServers(),
        scopesSupported: d.scopes,
        resourceName: name,
      }),
    };
  };
  const server = z.object({ id: z.string().min(1).max(64) }).strict();
  const forServer = async (c: Context, id: string) => {
    const s = await d.services.servers.get(id);
    return doc(c, `/servers/${s.id}/mcp`, s.name);
  };
  return [
    defineRoute({
      method: 'GET',
      path: '/.well-known/oauth-protected-resource',
      permission: null,
      public: true,
      tag,
      summary: 'Protected-resource metadata of the gateway (RFC 9728)',
      handler: async ({ c }) => doc(c, '', 'ContextForge gateway'),
    }),
    defineRoute({
      method: 'GET',
      path: '/.well-known/oauth-protected-resource/mcp',
      permission: null,
      public: true,
      tag,
      summary: 'Protected-resource metadata of the /mcp endpoint (RFC 9728)',
      handler: async ({ c }) => doc(c, '/mcp', 'ContextForge gateway (all servers)'),
    }),
    defineRoute({
      method: 'GET',
      path: '/.well-known/oauth-protected-resource/servers/{id}/mcp',
      permission: null,
      public: true,
      tag,
      summary: "Protected-resource metadata of a virtual server's MCP endpoint (RFC 9728 §3.1)",
      params: server,
      handler: async ({ params, c }) => forServer(c, params.id),
    }),
    defineRoute({
      method: 'GET',
      path: '/servers/{id}/.well-known/oauth-protected-resource',
      permission: null,
      public: true,
      tag,
      summary: "Protected-resource metadata of a virtual server's MCP endpoint (ContextForge path)",
      params: server,
      handler: async ({ params, c }) => forServer(c, params.id),
    }),
  ];
}
