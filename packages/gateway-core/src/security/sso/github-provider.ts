import { SecurityError } from '../errors.js';
import { fetchOAuthJson } from '../oauth/oauth-http.js';
import { createPkcePair, randomToken } from '../oauth/pkce.js';
import { readResponseText } from '../ssrf/safe-fetch.js';
import type { SsoIdentity } from './sso-identity.js';
import type { SsoProviderConfig } from './sso-presets.js';
import type { SsoDependencies, SsoProvider } from './sso-provider.js';

/**
 * GitHub login: OAuth 2.0 web flow (GitHub is not an OIDC provider), with PKCE and state; the identity
 * comes from the REST API (`/user`, `/user/emails` for the primary verified email, `/user/orgs` as groups).
 */
export class GitHubProvider implements SsoProvider {
  readonly id: string;
  readonly #c: SsoProviderConfig & { github: NonNullable<SsoProviderConfig['github']> };
  readonly #d: SsoDependencies;

  constructor(config: SsoProviderConfig, deps: SsoDependencies) {
    if (config.kind !== 'github' || !config.github) {
      throw new SecurityError(
        'CONFIG_INVALID',
        `sso provider '${config.id}': GitHub endpoints are required`,
        { field: 'github' },
      );
    }
    this.id = config.id;
    this.#c = config as SsoProviderConfig & { github: NonNullable<SsoProviderConfig['github']> };
    this.#d = deps;
  }

  async startLogin(
    options: { returnTo?: string; loginHint?: string } = {},
  ): Promise<{ url: string; state: string }> {
    const pkce = createPkcePair();
    const state = randomToken();
    await this.#d.states.put(state, {
      gatewayId: `sso:${this.id}`,
      userEmail: null,
      codeVerifier: pkce.verifier,
      redirectUri: this.#c.redirectUri,
      ...(options.returnTo ? { returnTo: options.returnTo } : {}),
      expiresAt: (this.#d.now ?? Date.now)() + (this.#d.stateTtlMs ?? 600_000),
    });
    const url = new URL(this.#c.github.authorizeUrl);
    const q = url.searchParams;
    q.set('client_id', this.#c.clientId);
    q.set('redirect_uri', this.#c.redirectUri);
    q.set('scope', this.#c.scopes.join(' '));
    q.set('state', state);
    q.set('code_challenge', pkce.challenge);
    q.set('code_challenge_method', 'S256');
    q.set('allow_signup', 'false');
    if (options.loginHint) q.set('login', options.loginHint);
    return { url: url.toString(), state };
  }

  async finishLogin(params: {
    state: string;
    code: string;
  }): Promise<{ identity: SsoIdentity; returnTo?: string }> {
    const pending = await this.#d.states.take(params.state, (this.#d.now ?? Date.now)());
    if (!pending || pending.gatewayId !== `sso:${this.id}`) {
      throw new SecurityError('OAUTH_INVALID_STATE', 'state: unknown, expired or already used', {
        field: 'state',
      });
    }
    const form = new URLSearchParams({
      client_id: this.#c.clientId,
      client_secret: this.#c.clientSecret ?? '',
      code: params.code,
      redirect_uri: pending.redirectUri,
      code_verifier: pending.codeVerifier,
    });
    const { body } = await fetchOAuthJson(
      this.#d.fetch,
      this.#c.github.tokenUrl,
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form.toString(),
      },
      'token_endpoint',
    );
    // GitHub reports token errors with 200 and an `error` field.
    if (typeof body.access_token !== 'string') {
      throw new SecurityError(
        'OIDC_FAILED',
        `sso: GitHub refused the code (${String(body.error ?? 'no access_token')})`,
      );
    }
    const token = body.access_token;
    const user = (await this.#api('/user', token)) as {
      id?: unknown;
      login?: unknown;
      name?: unknown;
      email?: unknown;
    };
    const emails = (await this.#api('/user/emails', token)) as Array<{
      email?: unknown;
      primary?: unknown;
      verified?: unknown;
    }>;
    const orgs = (await this.#api('/user/orgs', token)) as Array<{ login?: unknown }>;
    const primary = Array.isArray(emails)
      ? emails.find((e) => e.primary === true && e.verified === true)
      : undefined;
    const email = typeof primary?.email === 'string' ? primary.email : undefined;
    if (!email || (typeof user.id !== 'number' && typeof user.id !== 'string')) {
      throw new SecurityError('OIDC_FAILED', 'sso: GitHub account has no verified primary email');
    }
    const groups = Array.isArray(orgs)
      ? orgs.map((o) => o.login).filter((l): l is string => typeof l === 'string')
      : [];
    return {
      identity: {
        provider: this.id,
        subject: String(user.id),
        email: email.toLowerCase(),
        emailVerified: true,
        ...(typeof user.name === 'string'
          ? { name: user.name }
          : typeof user.login === 'string'
            ? { name: user.login }
            : {}),
        groups,
        roles: [],
        claims: { ...user, orgs: groups },
      },
      ...(pending.returnTo ? { returnTo: pending.returnTo } : {}),
    };
  }

  async #api(path: string, token: string): Promise<unknown> {
    const res = await this.#d.fetch(`${this.#c.github.apiUrl}${path}`, {
      headers: {
        authorization: `Bearer ${token}`,
        accept: 'application/vnd.github+json',
        'user-agent': 'contextforge-gateway',
      },
    });
    const text = await readResponseText(res, 256 * 1024, 'github_api');
    if (res.status !== 200)
      throw new SecurityError('OAUTH_UPSTREAM_ERROR', `github_api: ${path} answered ${res.status}`, {
        field: 'github_api',
      });
    try {
      return JSON.parse(text);
    } catch {
      throw new SecurityError('OAUTH_UPSTREAM_ERROR', `github_api: ${path} returned non-JSON`, {
        field: 'github_api',
      });
    }
  }
}
