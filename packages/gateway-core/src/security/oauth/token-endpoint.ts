import { SecurityError } from '../errors.js';
import type { FetchLike } from '../ssrf/safe-fetch.js';
import { fetchOAuthJson, oauthErrorResponse } from './oauth-http.js';

/** How the client authenticates at the token endpoint (RFC 6749 §2.3, RFC 7591 `token_endpoint_auth_method`). */
export type ClientAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'none';

/** An OAuth client's credentials. */
export interface OAuthClientCredentials {
  clientId: string;
  clientSecret?: string;
  /** Default: `client_secret_basic` with a secret, `none` without. */
  authMethod?: ClientAuthMethod;
}

/** Tokens from a token response, with the expiry made absolute. */
export interface TokenSet {
  accessToken: string;
  tokenType: string;
  /** Epoch ms, or null when the server gave no `expires_in`. */
  expiresAt: number | null;
  refreshToken?: string;
  scope?: string;
  idToken?: string;
}

/**
 * Posts a grant to a token endpoint and parses the answer.
 * @param params grant parameters (`grant_type`, `code`, `refresh_token`, `resource`, …)
 * @throws SecurityError `OAUTH_UPSTREAM_ERROR` with the server's RFC 6749 §5.2 `error`.
 */
export async function requestToken(
  tokenEndpoint: string,
  client: OAuthClientCredentials,
  params: Record<string, string | undefined>,
  fetch: FetchLike,
  now: number = Date.now(),
): Promise<TokenSet> {
  const form = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') form.set(k, v);
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  const method = client.authMethod ?? (client.clientSecret ? 'client_secret_basic' : 'none');
  if (method === 'client_secret_basic') {
    if (!client.clientSecret) throw missingSecret();
    // RFC 6749 §2.3.1: form-urlencode id and secret before base64.
    const pair = `${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.clientSecret)}`;
    headers.authorization = `Basic ${Buffer.from(pair).toString('base64')}`;
  } else {
    form.set('client_id', client.clientId);
    if (method === 'client_secret_post') {
      if (!client.clientSecret) throw missingSecret();
      form.set('client_secret', client.clientSecret);
    }
  }
  const { status, body } = await fetchOAuthJson(
    fetch,
    tokenEndpoint,
    { method: 'POST', headers, body: form.toString() },
    'token_endpoint',
  );
  if (status !== 200 || typeof body.error === 'string')
    throw oauthErrorResponse('token_endpoint', status, body);
  if (typeof body.access_token !== 'string' || body.access_token === '') {
    throw new SecurityError('OAUTH_UPSTREAM_ERROR', 'token_endpoint: response has no access_token', {
      field: 'token_endpoint',
    });
  }
  const expiresIn = Number(body.expires_in);
  return {
    accessToken: body.access_token,
    tokenType: typeof body.token_type === 'string' ? body.token_type : 'Bearer',
    expiresAt: Number.isFinite(expiresIn) && expiresIn > 0 ? now + expiresIn * 1000 : null,
    ...(typeof body.refresh_token === 'string' ? { refreshToken: body.refresh_token } : {}),
    ...(typeof body.scope === 'string' ? { scope: body.scope } : {}),
    ...(typeof body.id_token === 'string' ? { idToken: body.id_token } : {}),
  };
}

function missingSecret(): SecurityError {
  return new SecurityError('CONFIG_INVALID', 'client_secret: required by the token endpoint auth method', {
    field: 'client_secret',
  });
}
