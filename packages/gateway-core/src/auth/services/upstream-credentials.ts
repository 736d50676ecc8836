import type { GatewayConfig } from '../../config/settings.js';
import type { AuthSettings } from '../../registry/auth/auth-settings.js';
import type { GatewayOutput } from '../../registry/gateways/gateway-schemas.js';
import type { GatewayService } from '../../registry/gateways/gateway-service.js';
import type { Principal } from '../../security/authn/principal.js';
import { SecurityError } from '../../security/errors.js';
import { parseList } from '../config/parse-list.js';
import type { UpstreamOAuthService } from './upstream-oauth-service.js';

/** What to send to an upstream: headers, and the URL (which may carry a query-parameter credential). */
export interface UpstreamRequestAuth {
  headers: Record<string, string>;
  url: string | null;
  /** The OAuth access token used, if any (pass it to `onUpstreamUnauthorized` after an upstream 401). */
  oauthToken?: string;
}

/** Request headers that never travel upstream, whatever an allowlist says (hop-by-hop, identity, cookies). */
const NEVER_FORWARDED = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'host',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'content-length',
  'mcp-session-id',
]);

type HeaderSource = Headers | Record<string, string | string[] | undefined>;

function headerOf(source: HeaderSource | undefined, name: string): string | undefined {
  if (!source) return undefined;
  if (source instanceof Headers) return source.get(name) ?? undefined;
  const v = source[name.toLowerCase()] ?? source[name];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * Builds the credentials of calls to upstream gateways and REST tools, per request:
 * 1. static `headers` of the gateway;
 * 2. header passthrough (ENABLE_HEADER_PASSTHROUGH): client headers named in DEFAULT_PASSTHROUGH_HEADERS or
 *    the gateway's `passthrough_headers` (`Name` or `Client-Name:Upstream-Name`), and
 *    `X-Upstream-Authorization` → `Authorization`; the client's own `Authorization`, cookies and
 *    hop-by-hop headers are never forwarded (the gateway's callers' tokens stay at the gateway);
 * 3. the stored credentials, which win over passthrough: basic, bearer, custom headers, a query
 *    parameter (only with INSECURE_ALLOW_QUERYPARAM_AUTH and a host in
 *    INSECURE_QUERYPARAM_AUTH_ALLOWED_HOSTS), or an OAuth access token (client credentials, or the
 *    calling user's authorization-code token, refreshed as needed).
 */
export class UpstreamCredentials {
  constructor(
    private readonly config: GatewayConfig,
    private readonly gateways: GatewayService,
    private readonly oauth: UpstreamOAuthService,
  ) {}

  /**
   * Credentials for a call to gateway `gatewayId` on behalf of `principal`.
   * @throws SecurityError OAUTH_AUTHORIZATION_REQUIRED (the user must visit /oauth/authorize/{gateway_id}),
   *   OAUTH_UPSTREAM_ERROR, FORBIDDEN (query-parameter credentials not allowed), GatewayError NOT_FOUND
   */
  async forGateway(
    gatewayId: string,
    principal: Principal,
    incoming?: HeaderSource,
  ): Promise<UpstreamRequestAuth> {
    const gateway = await this.gateways.get(gatewayId);
    const auth = await this.gateways.credentials(gatewayId);
    return this.build(gateway, auth, principal, incoming);
  }

  /**
   * After an upstream answered 401 to `staleToken`: a refreshed OAuth token (once), or undefined when
   * the gateway does not use OAuth.
   */
  async onUpstreamUnauthorized(
    gatewayId: string,
    principal: Principal,
    staleToken: string,
  ): Promise<string | undefined> {
    const gateway = await this.gateways.get(gatewayId);
    const auth = await this.gateways.credentials(gatewayId);
    if (auth?.type !== 'oauth') return undefined;
    const cfg = await this.oauth.configFrom(gateway, auth);
    return this.oauth.client.onUnauthorized(cfg, this.#userFor(cfg.grantType, principal), staleToken);
  }

  /** As {@link forGateway}, from already-loaded gateway fields and credentials (REST tools pass their own). */
  async build(
    gateway: Pick<GatewayOutput, 'id' | 'url' | 'headers' | 'passthrough_headers'> & Partial<GatewayOutput>,
    auth: AuthSettings | null,
    principal: Principal,
    incoming?: HeaderSource,
  ): Promise<UpstreamRequestAuth> {
    const headers: Record<string, string> = { ...gateway.headers };
    if (this.config.ENABLE_HEADER_PASSTHROUGH && incoming) {
      const allow = [
        ...parseList(this.config.DEFAULT_PASSTHROUGH_HEADERS),
        ...(gateway.passthrough_headers ?? []),
      ];
      for (const entry of allow) {
        const [from, to = from] = entry.split(':') as [string, string?];
        if (NEVER_FORWARDED.has(from.toLowerCase()) || NEVER_FORWARDED.has((to ?? from).toLowerCase()))
          continue;
        const value = headerOf(incoming, from);
        if (value !== undefined) headers[to ?? from] = value;
      }
      const upstreamAuth = headerOf(incoming, 'x-upstream-authorization');
      if (upstreamAuth !== undefined) headers.Authorization = upstreamAuth;
    }
    let url = gateway.url ?? null;
    let oauthToken: string | undefined;
    switch (auth?.type) {
      case undefined:
        break;
      case 'basic':
        headers.Authorization = `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
        break;
      case 'bearer':
        headers.Authorization = `Bearer ${auth.token}`;
        break;
      case 'authheaders':
        for (const h of auth.headers) headers[h.key] = h.value;
        break;
      case 'query_param':
        url = this.#withQueryParam(url, auth.param, auth.value);
        break;
      case 'oauth': {
        const cfg = await this.oauth.configFrom(gateway as GatewayOutput, auth);
        oauthToken = await this.oauth.client.getAccessToken(cfg, this.#userFor(cfg.grantType, principal));
        headers.Authorization = `Bearer ${oauthToken}`;
        break;
      }
    }
    return { headers, url, ...(oauthToken ? { oauthToken } : {}) };
  }

  /** Throws unless query-parameter credentials may go to `url`'s host. */
  assertQueryParamAllowed(url: string | null, field = 'auth_type'): void {
    if (!this.config.INSECURE_ALLOW_QUERYPARAM_AUTH) {
      throw new SecurityError(
        'FORBIDDEN',
        `${field}: query_param credentials are disabled (set INSECURE_ALLOW_QUERYPARAM_AUTH=true and list the host in INSECURE_QUERYPARAM_AUTH_ALLOWED_HOSTS)`,
        { field },
      );
    }
    const host = url ? new URL(url).hostname.toLowerCase() : '';
    const hosts = parseList(this.config.INSECURE_QUERYPARAM_AUTH_ALLOWED_HOSTS).map((h) => h.toLowerCase());
    if (!hosts.includes(host)) {
      throw new SecurityError(
        'FORBIDDEN',
        `${field}: host '${host}' is not in INSECURE_QUERYPARAM_AUTH_ALLOWED_HOSTS`,
        { field },
      );
    }
  }

  #withQueryParam(url: string | null, param: string, value: string): string | null {
    this.assertQueryParamAllowed(url);
    const u = new URL(url!);
    u.searchParams.set(param, value);
    return u.toString();
  }

  #userFor(grant: string, principal: Principal): string | null {
    // Client-credentials tokens belong to the gateway; authorization-code tokens to the calling user.
    if (grant === 'client_credentials') return null;
    if (principal.authMethod === 'anonymous' || !principal.email) {
      throw new SecurityError(
        'OAUTH_AUTHORIZATION_REQUIRED',
        'this upstream needs a signed-in user to authorize it',
        {
          details: { reason: 'anonymous' },
        },
      );
    }
    return principal.email;
  }
}
