import { jwtVerify } from 'jose';
import { isSecurityError, SecurityError } from '../errors.js';
import { type AuthorizationServerMetadata, discoverAuthorizationServer } from '../oauth/as-discovery.js';
import { fetchOAuthJson } from '../oauth/oauth-http.js';
import { createPkcePair, randomToken } from '../oauth/pkce.js';
import { requestToken } from '../oauth/token-endpoint.js';
import { type SsoIdentity, stringsAt } from './sso-identity.js';
import type { SsoProviderConfig } from './sso-presets.js';
import type { SsoDependencies, SsoProvider } from './sso-provider.js';

/**
 * OpenID Connect login (authorization code + PKCE S256 + state + nonce): discovery (cached), ID token
 * verified against the provider's JWKS (issuer, audience = client id, expiry, nonce), userinfo merged in
 * when the provider offers it, groups/roles read from the preset's claim paths.
 */
export class OidcProvider implements SsoProvider {
  readonly id: string;
  readonly #c: SsoProviderConfig;
  readonly #d: SsoDependencies;
  #metadata: Promise<AuthorizationServerMetadata> | undefined;

  constructor(config: SsoProviderConfig, deps: SsoDependencies) {
    if (config.kind !== 'oidc' || !config.issuer) {
      throw new SecurityError('CONFIG_INVALID', `sso provider '${config.id}': an OIDC issuer is required`, {
        field: 'issuer',
      });
    }
    this.id = config.id;
    this.#c = config;
    this.#d = deps;
  }

  async startLogin(
    options: { returnTo?: string; loginHint?: string } = {},
  ): Promise<{ url: string; state: string }> {
    const md = await this.#discover();
    if (!md.authorization_endpoint) throw failed('provider metadata has no authorization_endpoint');
    const pkce = createPkcePair();
    const state = randomToken();
    const nonce = randomToken();
    const now = (this.#d.now ?? Date.now)();
    await this.#d.states.put(state, {
      gatewayId: `sso:${this.id}`,
      userEmail: null,
      codeVerifier: pkce.verifier,
      redirectUri: this.#c.redirectUri,
      nonce,
      ...(options.returnTo ? { returnTo: options.returnTo } : {}),
      expiresAt: now + (this.#d.stateTtlMs ?? 600_000),
    });
    const url = new URL(md.authorization_endpoint);
    const q = url.searchParams;
    q.set('response_type', 'code');
    q.set('client_id', this.#c.clientId);
    q.set('redirect_uri', this.#c.redirectUri);
    q.set('scope', this.#c.scopes.join(' '));
    q.set('state', state);
    q.set('nonce', nonce);
    q.set('code_challenge', pkce.challenge);
    q.set('code_challenge_method', 'S256');
    if (options.loginHint) q.set('login_hint', options.loginHint);
    return { url: url.toString(), state };
  }

  async finishLogin(params: {
    state: string;
    code: string;
    iss?: string;
  }): Promise<{ identity: SsoIdentity; returnTo?: string }> {
    const now = (this.#d.now ?? Date.now)();
    const pending = await this.#d.states.take(params.state, now);
    if (!pending || pending.gatewayId !== `sso:${this.id}`) {
      throw new SecurityError('OAUTH_INVALID_STATE', 'state: unknown, expired or already used', {
        field: 'state',
      });
    }
    const md = await this.#discover();
    if (params.iss !== undefined && params.iss !== md.issuer) {
      throw new SecurityError('OAUTH_INVALID_STATE', `iss: expected '${md.issuer}', got '${params.iss}'`, {
        field: 'iss',
      });
    }
    if (!md.token_endpoint || !md.jwks_uri)
      throw failed('provider metadata lacks token_endpoint or jwks_uri');
    const tokens = await requestToken(
      md.token_endpoint,
      { clientId: this.#c.clientId, ...(this.#c.clientSecret ? { clientSecret: this.#c.clientSecret } : {}) },
      {
        grant_type: 'authorization_code',
        code: params.code,
        redirect_uri: pending.redirectUri,
        code_verifier: pending.codeVerifier,
      },
      this.#d.fetch,
      now,
    );
    if (!tokens.idToken) throw failed('token response has no id_token (is the openid scope granted?)');
    let claims: Record<string, unknown>;
    try {
      const { payload } = await jwtVerify(tokens.idToken, this.#d.jwks.get(md.jwks_uri), {
        issuer: md.issuer,
        audience: this.#c.clientId,
        clockTolerance: 60,
        currentDate: new Date(now),
      });
      claims = payload as Record<string, unknown>;
    } catch (cause) {
      throw failed(
        `id_token verification failed (${cause instanceof Error ? cause.message : 'error'})`,
        cause,
      );
    }
    if (claims.nonce !== pending.nonce) throw failed('id_token nonce does not match the login request');
    if (md.userinfo_endpoint) {
      const info = await fetchOAuthJson(
        this.#d.fetch,
        md.userinfo_endpoint,
        { method: 'GET', headers: { authorization: `Bearer ${tokens.accessToken}` } },
        'userinfo_endpoint',
      );
      // OIDC Core §5.3.2: the userinfo `sub` MUST match the ID token's, else ignore the response.
      if (info.status === 200 && info.body.sub === claims.sub) claims = { ...info.body, ...claims };
    }
    return { identity: this.#identity(claims), ...(pending.returnTo ? { returnTo: pending.returnTo } : {}) };
  }

  #identity(claims: Record<string, unknown>): SsoIdentity {
    const email =
      typeof claims.email === 'string'
        ? claims.email
        : typeof claims.preferred_username === 'string' && claims.preferred_username.includes('@')
          ? claims.preferred_username
          : undefined;
    if (typeof claims.sub !== 'string' || !email) throw failed('the provider returned no subject or email');
    const names = claims._claim_names as Record<string, unknown> | undefined;
    return {
      provider: this.id,
      subject: claims.sub,
      email: email.toLowerCase(),
      emailVerified: claims.email_verified !== false,
      ...(typeof claims.name === 'string' ? { name: claims.name } : {}),
      groups: stringsAt(claims, this.#c.groupsClaims),
      roles: stringsAt(claims, this.#c.rolesClaims),
      ...(names && typeof names === 'object' && 'groups' in names ? { groupsOverage: true } : {}),
      claims,
    };
  }

  #discover(): Promise<AuthorizationServerMetadata> {
    if (!this.#metadata) {
      this.#metadata = discoverAuthorizationServer(this.#c.issuer!, this.#d.fetch);
      this.#metadata.catch(() => {
        this.#metadata = undefined; // retry discovery next time
      });
    }
    return this.#metadata;
  }
}

function failed(message: string, cause?: unknown): SecurityError {
  if (isSecurityError(cause)) return cause;
  return new SecurityError('OIDC_FAILED', `sso: ${message}`, cause === undefined ? {} : { cause });
}
