import { SecurityError } from '../errors.js';
import type { FetchLike } from '../ssrf/safe-fetch.js';
import { fetchOAuthJson } from './oauth-http.js';
import { canonicalResourceUri, protectedResourceMetadataUrl } from './protected-resource-metadata.js';
import { parseWwwAuthenticate } from './www-authenticate.js';

/** The fields of RFC 8414 / OIDC discovery metadata the gateway uses. */
export interface AuthorizationServerMetadata {
  issuer: string;
  authorization_endpoint?: string;
  token_endpoint?: string;
  registration_endpoint?: string;
  jwks_uri?: string;
  userinfo_endpoint?: string;
  scopes_supported?: string[];
  code_challenge_methods_supported?: string[];
  token_endpoint_auth_methods_supported?: string[];
  grant_types_supported?: string[];
  [key: string]: unknown;
}

/**
 * Discovers an authorization server from its issuer URL, trying in order (MCP authorization spec §
 * "Authorization Server Metadata Discovery"): RFC 8414 path insertion
 * (`/.well-known/oauth-authorization-server/<path>`), OIDC path insertion
 * (`/.well-known/openid-configuration/<path>`) and OIDC path append (`<issuer>/.well-known/openid-configuration`).
 * The document's `issuer` must equal the requested issuer (RFC 8414 §3.3: defeats metadata substitution).
 * @throws SecurityError `OAUTH_UPSTREAM_ERROR` when nothing is found or the issuer does not match.
 */
export async function discoverAuthorizationServer(
  issuer: string,
  fetch: FetchLike,
): Promise<AuthorizationServerMetadata> {
  const u = new URL(issuer);
  const path = u.pathname === '/' ? '' : u.pathname.replace(/\/$/, '');
  const candidates = [
    `${u.origin}/.well-known/oauth-authorization-server${path}`,
    `${u.origin}/.well-known/openid-configuration${path}`,
    `${u.origin}${path}/.well-known/openid-configuration`,
  ];
  const tried: string[] = [];
  for (const url of [...new Set(candidates)]) {
    const { status, body } = await fetchOAuthJson(fetch, url, { method: 'GET' }, 'issuer').catch(
      (err: unknown) => {
        if (err instanceof SecurityError && err.code === 'URL_NOT_ALLOWED') throw err;
        return { status: 0, body: {} as Record<string, unknown> };
      },
    );
    tried.push(`${url} (${status || 'error'})`);
    if (status !== 200) continue;
    if (typeof body.issuer !== 'string' || stripSlash(body.issuer) !== stripSlash(issuer)) {
      throw new SecurityError(
        'OAUTH_UPSTREAM_ERROR',
        `issuer: metadata at ${url} names issuer '${String(body.issuer)}', expected '${issuer}'`,
        {
          field: 'issuer',
        },
      );
    }
    return body as AuthorizationServerMetadata;
  }
  throw new SecurityError(
    'OAUTH_UPSTREAM_ERROR',
    `issuer: no authorization server metadata found; tried ${tried.join(', ')}`,
    {
      field: 'issuer',
    },
  );
}

/** What an upstream MCP server's protected-resource metadata told us. */
export interface ResourceDiscovery {
  /** The resource identifier to send as RFC 8707 `resource`. */
  resource: string;
  /** The chosen authorization server's metadata. */
  authorizationServer: AuthorizationServerMetadata;
  /** Scopes the resource asked for (challenge `scope`, else metadata `scopes_supported`). */
  scopes: string[];
}

/**
 * Finds the authorization server of a protected upstream (RFC 9728): probes the resource, reads
 * `resource_metadata` from its 401 `WWW-Authenticate` (or falls back to the well-known URL), fetches the
 * metadata, checks that its `resource` is this resource, and discovers the first authorization server.
 * @throws SecurityError `OAUTH_UPSTREAM_ERROR` naming what was missing.
 */
export async function discoverFromResource(
  resourceUrl: string,
  fetch: FetchLike,
): Promise<ResourceDiscovery> {
  let metadataUrl = protectedResourceMetadataUrl(resourceUrl);
  let challengeScope: string | undefined;
  const probe = await fetch(resourceUrl, {
    method: 'GET',
    headers: { accept: 'application/json, text/event-stream' },
  });
  await probe.body?.cancel();
  if (probe.status === 401) {
    const header = probe.headers.get('www-authenticate');
    const bearer = header ? parseWwwAuthenticate(header).find((c) => c.scheme === 'bearer') : undefined;
    if (bearer?.params.resource_metadata)
      metadataUrl = new URL(bearer.params.resource_metadata, resourceUrl).href;
    challengeScope = bearer?.params.scope;
  }
  const { status, body } = await fetchOAuthJson(fetch, metadataUrl, { method: 'GET' }, 'resource_metadata');
  if (status !== 200) {
    throw new SecurityError('OAUTH_UPSTREAM_ERROR', `resource_metadata: ${metadataUrl} answered ${status}`, {
      field: 'resource_metadata',
    });
  }
  const resource = typeof body.resource === 'string' ? body.resource : undefined;
  if (!resource || canonicalResourceUri(resource) !== canonicalResourceUri(resourceUrl)) {
    throw new SecurityError(
      'OAUTH_UPSTREAM_ERROR',
      `resource_metadata: names resource '${String(resource)}', expected '${resourceUrl}'`,
      {
        field: 'resource_metadata',
      },
    );
  }
  const servers = Array.isArray(body.authorization_servers)
    ? body.authorization_servers.filter((s): s is string => typeof s === 'string')
    : [];
  if (servers.length === 0) {
    throw new SecurityError('OAUTH_UPSTREAM_ERROR', 'resource_metadata: lists no authorization_servers', {
      field: 'resource_metadata',
    });
  }
  const authorizationServer = await discoverAuthorizationServer(servers[0]!, fetch);
  const supported = Array.isArray(body.scopes_supported)
    ? body.scopes_supported.filter((s): s is string => typeof s === 'string')
    : [];
  return {
    resource,
    authorizationServer,
    scopes: challengeScope ? challengeScope.split(' ').filter(Boolean) : supported,
  };
}

function stripSlash(s: string): string {
  return s.endsWith('/') ? s.slice(0, -1) : s;
}
