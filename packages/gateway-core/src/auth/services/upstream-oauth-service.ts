import type { GatewayConfig } from '../../config/settings.js';
import { GatewayError } from '../../errors.js';
import type { GatewayLogger } from '../../observability/logger.js';
import type { AuthSettings } from '../../registry/auth/auth-settings.js';
import type { GatewayOutput } from '../../registry/gateways/gateway-schemas.js';
import type { GatewayService } from '../../registry/gateways/gateway-service.js';
import { SecurityError } from '../../security/errors.js';
import {
  type AuthorizationServerMetadata,
  discoverAuthorizationServer,
  discoverFromResource,
} from '../../security/oauth/as-discovery.js';
import { registerClient } from '../../security/oauth/dynamic-client-registration.js';
import type { ClientAuthMethod } from '../../security/oauth/token-endpoint.js';
import { UpstreamOAuthClient, type UpstreamOAuthConfig } from '../../security/oauth/upstream-oauth-client.js';
import type { FetchLike } from '../../security/ssrf/safe-fetch.js';
import { parseList } from '../config/parse-list.js';
import type { DbOAuthStateStore, DbOAuthTokenStore } from '../stores/db-oauth-stores.js';
import type { OAuthClientStore, RegisteredOAuthClient } from '../stores/oauth-client-store.js';

/** ContextForge's `oauth_config` of a gateway (the fields this gateway reads). */
interface OAuthConfigFields {
  grant_type?: unknown;
  client_id?: unknown;
  client_secret?: unknown;
  issuer?: unknown;
  authorization_url?: unknown;
  token_url?: unknown;
  redirect_uri?: unknown;
  scopes?: unknown;
  scope?: unknown;
  resource?: unknown;
  omit_resource?: unknown;
  token_endpoint_auth_method?: unknown;
}

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

/** Options of {@link UpstreamOAuthService}. */
export interface UpstreamOAuthServiceOptions {
  config: GatewayConfig;
  gateways: GatewayService;
  tokens: DbOAuthTokenStore;
  states: DbOAuthStateStore;
  clients: OAuthClientStore;
  fetch: FetchLike;
  logger: GatewayLogger;
}

/**
 * The gateway as an OAuth client of its upstreams (ContextForge `auth_type: oauth`): turns a gateway's
 * encrypted `oauth_config` into an {@link UpstreamOAuthConfig}, registers the gateway dynamically (RFC
 * 7591, after RFC 9728/8414 discovery) when the config has no `client_id`, and runs the per-user
 * authorization-code flow (`/oauth/authorize/{gateway_id}` → `/oauth/callback`) and token refresh.
 */
export class UpstreamOAuthService {
  readonly client: UpstreamOAuthClient;

  constructor(private readonly o: UpstreamOAuthServiceOptions) {
    this.client = new UpstreamOAuthClient({
      fetch: o.fetch,
      tokens: o.tokens,
      states: o.states,
      metadataTtlMs: o.config.DCR_METADATA_CACHE_TTL * 1000,
    });
  }

  /** The redirect URI of the authorization-code flow: `<base>/oauth/callback`. */
  redirectUri(baseUrl: string): string {
    return `${baseUrl}/oauth/callback`;
  }

  /**
   * The OAuth client configuration of a gateway (registering the gateway dynamically first when needed).
   * @throws GatewayError UNPROCESSABLE (gateway not OAuth, no client and DCR off), SecurityError OAUTH_UPSTREAM_ERROR
   */
  async configFor(gatewayId: string, baseUrl?: string): Promise<UpstreamOAuthConfig> {
    const gateway = await this.o.gateways.get(gatewayId);
    const auth = await this.o.gateways.credentials(gatewayId);
    return this.configFrom(gateway, auth, baseUrl);
  }

  /** As {@link configFor}, from already-loaded gateway and credentials. */
  async configFrom(
    gateway: GatewayOutput,
    auth: AuthSettings | null,
    baseUrl?: string,
  ): Promise<UpstreamOAuthConfig> {
    if (auth?.type !== 'oauth')
      throw new GatewayError(
        'UNPROCESSABLE',
        `gateway '${gateway.id}' does not use OAuth (auth_type ${auth?.type ?? 'none'})`,
      );
    const c = auth.config as OAuthConfigFields;
    const grant = c.grant_type === 'client_credentials' ? 'client_credentials' : 'authorization_code';
    if (c.grant_type !== 'client_credentials' && c.grant_type !== 'authorization_code')
      throw new GatewayError(
        'UNPROCESSABLE',
        `oauth_config.grant_type '${String(c.grant_type)}' is not supported (client_credentials, authorization_code)`,
      );
    let scopes = Array.isArray(c.scopes)
      ? c.scopes.filter((s): s is string => typeof s === 'string')
      : (str(c.scopes) ?? str(c.scope))?.split(/\s+/).filter(Boolean);
    const resource = c.omit_resource === true ? undefined : (str(c.resource) ?? gateway.url ?? undefined);
    const redirectUri = str(c.redirect_uri) ?? (baseUrl ? this.redirectUri(baseUrl) : undefined);
    let clientId = str(c.client_id);
    let clientSecret = str(c.client_secret);
    let authMethod = str(c.token_endpoint_auth_method) as ClientAuthMethod | undefined;
    let issuer = str(c.issuer);
    let endpoints: { authorizationEndpoint?: string; tokenEndpoint?: string } = {
      ...(str(c.authorization_url) ? { authorizationEndpoint: str(c.authorization_url)! } : {}),
      ...(str(c.token_url) ? { tokenEndpoint: str(c.token_url)! } : {}),
    };
    if (!clientId) {
      const registered = await this.#registered(gateway, issuer, scopes, redirectUri, baseUrl);
      scopes ??= registered.scopes;
      clientId = registered.client.clientId;
      clientSecret = registered.client.clientSecret ?? undefined;
      authMethod = registered.client.tokenEndpointAuthMethod as ClientAuthMethod;
      issuer = registered.metadata.issuer;
      endpoints = {
        ...(registered.metadata.authorization_endpoint
          ? { authorizationEndpoint: registered.metadata.authorization_endpoint }
          : {}),
        ...(registered.metadata.token_endpoint ? { tokenEndpoint: registered.metadata.token_endpoint } : {}),
      };
    }
    return {
      gatewayId: gateway.id,
      grantType: grant,
      ...(issuer ? { issuer } : {}),
      ...endpoints,
      clientId,
      ...(clientSecret ? { clientSecret } : {}),
      ...(authMethod ? { tokenEndpointAuthMethod: authMethod } : {}),
      ...(scopes?.length ? { scopes } : {}),
      ...(resource ? { resource } : {}),
      ...(redirectUri ? { redirectUri } : {}),
    };
  }

  /** The stored registration of a gateway, or a new one (RFC 7591). */
  async #registered(
    gateway: GatewayOutput,
    issuer: string | undefined,
    scopes: string[] | undefined,
    redirectUri: string | undefined,
    baseUrl: string | undefined,
  ): Promise<{ client: RegisteredOAuthClient; metadata: AuthorizationServerMetadata; scopes: string[] }> {
    const cfg = this.o.config;
    let metadata: AuthorizationServerMetadata;
    let wanted = scopes;
    if (issuer) {
      metadata = await discoverAuthorizationServer(issuer, this.o.fetch);
    } else {
      if (!gateway.url)
        throw new GatewayError(
          'UNPROCESSABLE',
          'oauth_config: give an issuer or client_id (the gateway has no URL to discover from)',
        );
      const found = await discoverFromResource(gateway.url, this.o.fetch);
      metadata = found.authorizationServer;
      wanted ??= found.scopes;
    }
    const requested = wanted?.length ? wanted : parseList(cfg.DCR_DEFAULT_SCOPES);
    const stored = await this.o.clients.find(gateway.id, metadata.issuer);
    if (stored) return { client: stored, metadata, scopes: requested };
    if (!cfg.DCR_ENABLED || !cfg.DCR_AUTO_REGISTER_ON_MISSING_CREDENTIALS) {
      throw new GatewayError(
        'UNPROCESSABLE',
        'oauth_config.client_id is missing and dynamic client registration is disabled (DCR_ENABLED)',
        {
          field: 'oauth_config.client_id',
        },
      );
    }
    const allowed = parseList(cfg.DCR_ALLOWED_ISSUERS);
    if (allowed.length > 0 && !allowed.includes(metadata.issuer)) {
      throw new SecurityError('FORBIDDEN', `issuer '${metadata.issuer}' is not in DCR_ALLOWED_ISSUERS`, {
        field: 'oauth_config.issuer',
      });
    }
    if (!metadata.registration_endpoint) {
      throw new SecurityError(
        'OAUTH_UPSTREAM_ERROR',
        `authorization server '${metadata.issuer}' offers no registration_endpoint; configure oauth_config.client_id`,
        {
          field: 'registration_endpoint',
        },
      );
    }
    const uri = redirectUri ?? (baseUrl ? this.redirectUri(baseUrl) : undefined);
    const method = cfg.DCR_TOKEN_ENDPOINT_AUTH_METHOD;
    const reg = await registerClient(
      metadata.registration_endpoint,
      {
        client_name: cfg.DCR_CLIENT_NAME_TEMPLATE.replace('{gateway_name}', gateway.name),
        ...(uri ? { redirect_uris: [uri] } : {}),
        grant_types: ['authorization_code', 'refresh_token'],
        token_endpoint_auth_method: method,
        scope: requested.join(' '),
      },
      this.o.fetch,
    );
    this.o.logger.info(
      { gateway: gateway.id, issuer: metadata.issuer, client_id: reg.client_id },
      'registered with upstream authorization server (RFC 7591)',
    );
    const client = await this.o.clients.insert({
      gatewayId: gateway.id,
      issuer: metadata.issuer,
      clientId: reg.client_id,
      clientSecret: reg.client_secret ?? null,
      registrationAccessToken: reg.registration_access_token ?? null,
      registrationClientUri: reg.registration_client_uri ?? null,
      redirectUris: reg.redirect_uris ?? (uri ? [uri] : []),
      tokenEndpointAuthMethod:
        typeof reg.token_endpoint_auth_method === 'string' ? reg.token_endpoint_auth_method : method,
    });
    return { client, metadata, scopes: requested };
  }
}
