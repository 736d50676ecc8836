import { SecurityError } from '../errors.js';
import type { FetchLike } from '../ssrf/safe-fetch.js';
import { fetchOAuthJson, oauthErrorResponse } from './oauth-http.js';

/** RFC 7591 §2 client metadata the gateway registers with. */
export interface ClientRegistrationRequest {
  client_name?: string;
  redirect_uris?: string[];
  grant_types?: string[];
  response_types?: string[];
  token_endpoint_auth_method?: 'client_secret_basic' | 'client_secret_post' | 'none';
  scope?: string;
  [key: string]: unknown;
}

/** RFC 7591 §3.2.1 registration response. */
export interface RegisteredClient {
  client_id: string;
  client_secret?: string;
  client_id_issued_at?: number;
  client_secret_expires_at?: number;
  token_endpoint_auth_method?: string;
  redirect_uris?: string[];
  grant_types?: string[];
  registration_access_token?: string;
  registration_client_uri?: string;
  [key: string]: unknown;
}

/**
 * Registers the gateway as a client of an authorization server (RFC 7591 dynamic client registration).
 * The returned `client_secret` is a credential: the caller stores it encrypted.
 * @throws SecurityError `OAUTH_UPSTREAM_ERROR` with the server's `error` (e.g. `invalid_redirect_uri`).
 */
export async function registerClient(
  registrationEndpoint: string,
  metadata: ClientRegistrationRequest,
  fetch: FetchLike,
  initialAccessToken?: string,
): Promise<RegisteredClient> {
  const { status, body } = await fetchOAuthJson(
    fetch,
    registrationEndpoint,
    {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(initialAccessToken ? { authorization: `Bearer ${initialAccessToken}` } : {}),
      },
      body: JSON.stringify({ response_types: ['code'], ...metadata }),
    },
    'registration_endpoint',
  );
  if (status !== 201 && status !== 200) throw oauthErrorResponse('registration_endpoint', status, body);
  if (typeof body.client_id !== 'string' || body.client_id === '') {
    throw new SecurityError('OAUTH_UPSTREAM_ERROR', 'registration_endpoint: response has no client_id', {
      field: 'registration_endpoint',
    });
  }
  return body as RegisteredClient;
}
