import { SecurityError } from '../errors.js';

/** Well-known suffix of RFC 9728 protected-resource metadata. */
export const PRM_WELL_KNOWN = '/.well-known/oauth-protected-resource';

/** Inputs of {@link protectedResourceMetadata}. */
export interface ProtectedResourceInput {
  /** The resource identifier: the MCP endpoint URL (`https://gw.example/servers/abc/mcp`). */
  resource: string;
  /** Issuer URLs of the authorization servers that issue tokens for it. */
  authorizationServers: readonly string[];
  /** Scopes clients may request. */
  scopesSupported?: readonly string[];
  /** Human-readable name. */
  resourceName?: string;
  /** Documentation URL. */
  resourceDocumentation?: string;
}

/** RFC 9728 §2 document (snake_case, as served). */
export interface ProtectedResourceMetadata {
  resource: string;
  authorization_servers: string[];
  bearer_methods_supported: string[];
  scopes_supported?: string[];
  resource_name?: string;
  resource_documentation?: string;
}

/**
 * Builds the protected-resource metadata document for the gateway or one virtual server. Bearer tokens
 * are accepted in the `Authorization` header only (never query strings, per the MCP authorization spec).
 * @throws SecurityError `CONFIG_INVALID` when the resource is not an absolute http(s) URL without fragment.
 */
export function protectedResourceMetadata(input: ProtectedResourceInput): ProtectedResourceMetadata {
  const resource = canonicalResourceUri(input.resource, 'resource');
  return {
    resource,
    authorization_servers: input.authorizationServers.map((s) =>
      canonicalResourceUri(s, 'authorization_servers'),
    ),
    bearer_methods_supported: ['header'],
    ...(input.scopesSupported?.length ? { scopes_supported: [...input.scopesSupported] } : {}),
    ...(input.resourceName ? { resource_name: input.resourceName } : {}),
    ...(input.resourceDocumentation ? { resource_documentation: input.resourceDocumentation } : {}),
  };
}

/**
 * The metadata URL of a resource (RFC 9728 §3.1): the well-known suffix goes between the host and the
 * path, so `https://gw/servers/abc/mcp` → `https://gw/.well-known/oauth-protected-resource/servers/abc/mcp`.
 */
export function protectedResourceMetadataUrl(resource: string): string {
  const u = new URL(canonicalResourceUri(resource, 'resource'));
  const path = u.pathname === '/' ? '' : u.pathname;
  return `${u.origin}${PRM_WELL_KNOWN}${path}${u.search}`;
}

/**
 * The resource path a well-known request asks about (`/.well-known/oauth-protected-resource/servers/abc/mcp`
 * → `/servers/abc/mcp`; the bare well-known path → `/`), or undefined for other paths. Route handlers use
 * it to pick the gateway or the virtual server.
 */
export function resourcePathFromMetadataPath(pathname: string): string | undefined {
  if (pathname === PRM_WELL_KNOWN || pathname === `${PRM_WELL_KNOWN}/`) return '/';
  if (!pathname.startsWith(`${PRM_WELL_KNOWN}/`)) return undefined;
  return pathname.slice(PRM_WELL_KNOWN.length);
}

/**
 * Canonical form of a resource URI for comparisons (RFC 8707 §2, RFC 3986 §6): lower-case scheme and
 * host, default port dropped, no fragment, and no trailing slash on a non-root path.
 * @throws SecurityError `CONFIG_INVALID` naming `field` for a non-http(s) or fragment-bearing URI.
 */
export function canonicalResourceUri(uri: string, field = 'resource'): string {
  let u: URL;
  try {
    u = new URL(uri);
  } catch {
    throw new SecurityError('CONFIG_INVALID', `${field}: expected an absolute URL, got '${uri}'`, { field });
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') {
    throw new SecurityError('CONFIG_INVALID', `${field}: expected http(s), got '${u.protocol}'`, { field });
  }
  if (u.hash) throw new SecurityError('CONFIG_INVALID', `${field}: must not contain a fragment`, { field });
  let path = u.pathname;
  if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
  return `${u.protocol}//${u.host}${path === '/' ? '' : path}${u.search}`;
}
