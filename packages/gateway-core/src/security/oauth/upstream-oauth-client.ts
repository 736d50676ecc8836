import { SecurityError } from '../errors.js';
import type { FetchLike } from '../ssrf/safe-fetch.js';
import { type AuthorizationServerMetadata, discoverAuthorizationServer } from './as-discovery.js';
import type { OAuthStateStore, OAuthTokenKey, OAuthTokenStore } from './oauth-stores.js';
import { createPkcePair, randomToken } from './pkce.js';
import { type ClientAuthMethod, requestToken, type TokenSet } from './token-endpoint.js';

/** OAuth settings of one upstream gateway (ContextForge `oauth_config`). */
export interface UpstreamOAuthConfig {
  gatewayId: string;
  grantType: 'client_credentials' | 'authorization_code';
  /** Issuer for discovery; or give the endpoints explicitly. */
  issuer?: string;
  authorizationEndpoint?: string;
  tokenEndpoint?: string;
  clientId: string;
  clientSecret?: string;
  tokenEndpointAuthMethod?: ClientAuthMethod;
  scopes?: readonly string[];
  /** RFC 8707 resource indicator (the upstream MCP URL); sent on authorize, token and refresh requests. */
  resource?: string;
  /** Callback URL registered with the authorization server (authorization code). */
  redirectUri?: string;
}

/** Options of {@link UpstreamOAuthClient}. */
export interface UpstreamOAuthClientOptions {
  /** SSRF-safe fetch for every authorization-server call. */
  fetch: FetchLike;
  tokens: OAuthTokenStore;
  states: OAuthStateStore;
  /** Refresh this long before expiry; default 60 s. */
  refreshSkewMs?: number;
  /** Lifetime of a pending authorization; default 10 min. */
  stateTtlMs?: number;
  /** Discovery results kept this long; default 1 h [DCR_METADATA_CACHE_TTL]. */
  metadataTtlMs?: number;
  now?: () => number;
}

/**
 * The gateway as an OAuth client of its upstreams: client-credentials tokens, authorization code with
 * PKCE S256 for per-user tokens, refresh before expiry and after an upstream 401, RFC 8414 discovery
 * (cached) and RFC 8707 resource indicators. Concurrent requests needing the same token share one
 * token-endpoint call. Tokens live in an {@link OAuthTokenStore} (encrypted by its implementation).
 */
export class UpstreamOAuthClient {
  readonly #o: Required<Omit<UpstreamOAuthClientOptions, 'now'>>;
  readonly #now: () => number;
  readonly #metadata = new Map<string, { at: number; value: Promise<AuthorizationServerMetadata> }>();
  readonly #inflight = new Map<string, Promise<TokenSet>>();

  constructor(options: UpstreamOAuthClientOptions) {
    this.#o = { refreshSkewMs: 60_000, stateTtlMs: 600_000, metadataTtlMs: 3_600_000, ...options };
    this.#now = options.now ?? Date.now;
  }

  /**
   * An access token for the upstream: the stored one while valid, else refreshed, else (client
   * credentials) a new one.
   * @throws SecurityError `OAUTH_AUTHORIZATION_REQUIRED` (401) when a user must authorize first (start
   *   with {@link startAuthorization}); `OAUTH_UPSTREAM_ERROR` (502) when the authorization server fails.
   */
  async getAccessToken(config: UpstreamOAuthConfig, userEmail: string | null = null): Promise<string> {
    const key = this.#key(config, userEmail);
    const stored = await this.#o.tokens.get(key);
    if (stored && !this.#expiring(stored)) return stored.accessToken;
    return (await this.#single(key, () => this.#obtain(config, key, stored))).accessToken;
  }

  /**
   * Call after the upstream answered 401 to `staleAccessToken`: refreshes (or re-fetches) once and returns
   * the new token. When another request already replaced the token, that one is returned.
   */
  async onUnauthorized(
    config: UpstreamOAuthConfig,
    userEmail: string | null,
    staleAccessToken: string,
  ): Promise<string> {
    const key = this.#key(config, userEmail);
    const stored = await this.#o.tokens.get(key);
    if (stored && stored.accessToken !== staleAccessToken) return stored.accessToken;
    const expired = stored ? { ...stored, expiresAt: 0 } : undefined;
    return (await this.#single(key, () => this.#obtain(config, key, expired))).accessToken;
  }

  /**
   * Starts an authorization-code flow for `userEmail`: returns the URL to send the browser to and the
   * `state` (stored with the PKCE verifier for {@link completeAuthorization}).
   */
  async startAuthorization(
    config: UpstreamOAuthConfig,
    userEmail: string | null,
    returnTo?: string,
  ): Promise<{ url: string; state: string }> {
    if (config.grantType !== 'authorization_code')
      throw bad('grant_type', 'authorization requests need grant_type authorization_code');
    if (!config.redirectUri) throw bad('redirect_uri', 'required for the authorization code grant');
    const as = await this.#endpoints(config);
    if (!as.authorization_endpoint)
      throw bad('authorization_endpoint', 'unknown (not configured, not discovered)');
    const methods = as.code_challenge_methods_supported;
    if (methods && !methods.includes('S256')) {
      throw new SecurityError('OAUTH_UPSTREAM_ERROR', 'authorization server does not support PKCE S256', {
        field: 'code_challenge_methods_supported',
      });
    }
    const pkce = createPkcePair();
    const state = randomToken();
    await this.#o.states.put(state, {
      gatewayId: config.gatewayId,
      userEmail,
      codeVerifier: pkce.verifier,
      redirectUri: config.redirectUri,
      ...(returnTo ? { returnTo } : {}),
      expiresAt: this.#now() + this.#o.stateTtlMs,
    });
    const url = new URL(as.authorization_endpoint);
    const q = url.searchParams;
    q.set('response_type', 'code');
    q.set('client_id', config.clientId);
    q.set('redirect_uri', config.redirectUri);
    q.set('state', state);
    q.set('code_challenge', pkce.challenge);
    q.set('code_challenge_method', 'S256');
    if (config.scopes?.length) q.set('scope', config.scopes.join(' '));
    if (config.resource) q.set('resource', config.resource);
    return { url: url.toString(), state };
  }

  /**
   * Finishes the flow from the callback's `state` and `code` (and `iss`, checked when present: RFC 9207).
   * `lookupConfig` returns the gateway's config by id (the state names the gateway).
   * @throws SecurityError `OAUTH_INVALID_STATE` (400) for unknown/expired/replayed states or a wrong `iss`.
   */
  async completeAuthorization(
    params: { state: string; code: string; iss?: string },
    lookupConfig: (gatewayId: string) => Promise<UpstreamOAuthConfig | undefined>,
  ): Promise<{ gatewayId: string; userEmail: string | null; returnTo?: string }> {
    const pending = await this.#o.states.take(params.state, this.#now());
    if (!pending)
      throw new SecurityError('OAUTH_INVALID_STATE', 'state: unknown, expired or already used', {
        field: 'state',
      });
    const config = await lookupConfig(pending.gatewayId);
    if (!config)
      throw new SecurityError(
        'OAUTH_INVALID_STATE',
        `state: gateway '${pending.gatewayId}' no longer exists`,
        { field: 'state' },
      );
    const as = await this.#endpoints(config);
    if (params.iss !== undefined && params.iss !== as.issuer) {
      throw new SecurityError('OAUTH_INVALID_STATE', `iss: expected '${as.issuer}', got '${params.iss}'`, {
        field: 'iss',
      });
    }
    const tokens = await requestToken(
      this.#tokenEndpoint(as),
      this.#client(config),
      {
        grant_type: 'authorization_code',
        code: params.code,
        redirect_uri: pending.redirectUri,
        code_verifier: pending.codeVerifier,
        resource: config.resource,
      },
      this.#o.fetch,
      this.#now(),
    );
    await this.#o.tokens.set(this.#key(config, pending.userEmail), tokens);
    return {
      gatewayId: pending.gatewayId,
      userEmail: pending.userEmail,
      ...(pending.returnTo ? { returnTo: pending.returnTo } : {}),
    };
  }

  /** Forgets a user's (or the gateway's) token, e.g. on "disconnect". */
  revokeLocal(config: UpstreamOAuthConfig, userEmail: string | null): Promise<void> {
    return this.#o.tokens.delete(this.#key(config, userEmail));
  }

  async #obtain(
    config: UpstreamOAuthConfig,
    key: OAuthTokenKey,
    stored: TokenSet | undefined,
  ): Promise<TokenSet> {
    const as = await this.#endpoints(config);
    const client = this.#client(config);
    if (stored?.refreshToken) {
      try {
        const fresh = await requestToken(
          this.#tokenEndpoint(as),
          client,
          { grant_type: 'refresh_token', refresh_token: stored.refreshToken, resource: config.resource },
          this.#o.fetch,
          this.#now(),
        );
        // Servers that do not rotate refresh tokens omit them: keep the old one.
        const merged = fresh.refreshToken ? fresh : { ...fresh, refreshToken: stored.refreshToken };
        await this.#o.tokens.set(key, merged);
        return merged;
      } catch (err) {
        if (!(err instanceof SecurityError) || err.details?.error !== 'invalid_grant') throw err;
        await this.#o.tokens.delete(key); // the refresh token is dead: fall through to re-authorization
      }
    }
    if (config.grantType === 'client_credentials') {
      const fresh = await requestToken(
        this.#tokenEndpoint(as),
        client,
        { grant_type: 'client_credentials', scope: config.scopes?.join(' '), resource: config.resource },
        this.#o.fetch,
        this.#now(),
      );
      await this.#o.tokens.set(key, fresh);
      return fresh;
    }
    throw new SecurityError(
      'OAUTH_AUTHORIZATION_REQUIRED',
      `gateway '${config.gatewayId}': user authorization required`,
      {
        details: { gatewayId: config.gatewayId },
      },
    );
  }

  async #endpoints(config: UpstreamOAuthConfig): Promise<AuthorizationServerMetadata> {
    if (config.tokenEndpoint && (config.grantType === 'client_credentials' || config.authorizationEndpoint)) {
      return {
        issuer: config.issuer ?? new URL(config.tokenEndpoint).origin,
        token_endpoint: config.tokenEndpoint,
        ...(config.authorizationEndpoint ? { authorization_endpoint: config.authorizationEndpoint } : {}),
      };
    }
    if (!config.issuer) throw bad('issuer', 'give an issuer for discovery or explicit endpoints');
    const hit = this.#metadata.get(config.issuer);
    if (hit && this.#now() - hit.at < this.#o.metadataTtlMs) return hit.value;
    const value = discoverAuthorizationServer(config.issuer, this.#o.fetch);
    this.#metadata.set(config.issuer, { at: this.#now(), value });
    value.catch(() => this.#metadata.delete(config.issuer!));
    if (this.#metadata.size > 1000) this.#metadata.delete(this.#metadata.keys().next().value as string);
    return value;
  }

  #tokenEndpoint(as: AuthorizationServerMetadata): string {
    if (!as.token_endpoint) throw bad('token_endpoint', 'unknown (not configured, not discovered)');
    return as.token_endpoint;
  }

  #client(config: UpstreamOAuthConfig) {
    return {
      clientId: config.clientId,
      ...(config.clientSecret ? { clientSecret: config.clientSecret } : {}),
      ...(config.tokenEndpointAuthMethod ? { authMethod: config.tokenEndpointAuthMethod } : {}),
    };
  }

  #key(config: UpstreamOAuthConfig, userEmail: string | null): OAuthTokenKey {
    // Client-credentials tokens belong to the gateway, never to a user.
    return {
      gatewayId: config.gatewayId,
      userEmail: config.grantType === 'client_credentials' ? null : userEmail,
    };
  }

  #expiring(t: TokenSet): boolean {
    return t.expiresAt !== null && t.expiresAt - this.#o.refreshSkewMs <= this.#now();
  }

  #single(key: OAuthTokenKey, run: () => Promise<TokenSet>): Promise<TokenSet> {
    const k = `${key.gatewayId}\u0000${key.userEmail ?? ''}`;
    const existing = this.#inflight.get(k);
    if (existing) return existing;
    const p = run().finally(() => this.#inflight.delete(k));
    this.#inflight.set(k, p);
    return p;
  }
}

function bad(field: string, message: string): SecurityError {
  return new SecurityError('CONFIG_INVALID', `${field}: ${message}`, { field });
}
