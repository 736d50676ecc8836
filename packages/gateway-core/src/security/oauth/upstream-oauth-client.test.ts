import { startTestIdp, type TestIdp } from '@contextforge-internal/test-idp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isSecurityError } from '../errors.js';
import { createSafeFetch } from '../ssrf/safe-fetch.js';
import { SsrfGuard } from '../ssrf/ssrf-guard.js';
import { createSsrfPolicy } from '../ssrf/ssrf-policy.js';
import { discoverAuthorizationServer, discoverFromResource } from './as-discovery.js';
import { registerClient } from './dynamic-client-registration.js';
import { MemoryOAuthStateStore, MemoryOAuthTokenStore } from './oauth-stores.js';
import { UpstreamOAuthClient, type UpstreamOAuthConfig } from './upstream-oauth-client.js';

// The test IdP is on loopback, so the guard must allow it — everything else about SSRF stays on.
const fetch = createSafeFetch({ guard: new SsrfGuard(createSsrfPolicy({ allowLocalhost: true })) });
const REDIRECT = 'https://gateway.example/oauth/callback';
let idp: TestIdp;

beforeAll(async () => {
  idp = await startTestIdp({ issuerPath: '/realms/test', accessTokenTtlSec: 300 });
});
afterAll(() => idp.close());

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (err) {
    return isSecurityError(err) ? err.code : String(err);
  }
}

/** Plays the browser: follows the authorization URL to the redirect and returns its query. */
async function authorizeInBrowser(url: string): Promise<URLSearchParams> {
  const res = await fetch(url, { redirect: 'manual' });
  expect(res.status).toBe(302);
  return new URL(res.headers.get('location')!).searchParams;
}

describe('discovery', () => {
  it('finds a path-aware issuer by RFC 8414 path insertion', async () => {
    const md = await discoverAuthorizationServer(idp.issuer, fetch);
    expect(md.issuer).toBe(idp.issuer);
    expect(md.token_endpoint).toBe(`${idp.issuer}/token`);
    expect(md.code_challenge_methods_supported).toEqual(['S256']);
  });

  it('follows an upstream 401 to its RFC 9728 metadata and authorization server', async () => {
    const d = await discoverFromResource(`${idp.url}/mcp`, fetch);
    expect(d.resource).toBe(`${idp.url}/mcp`);
    expect(d.authorizationServer.issuer).toBe(idp.issuer);
    expect(d.scopes).toEqual(['mcp:read']);
  });

  it('refuses discovery of addresses the SSRF guard blocks', async () => {
    const strict = createSafeFetch({ guard: new SsrfGuard() });
    expect(await code(discoverAuthorizationServer(idp.issuer, strict))).toBe('URL_NOT_ALLOWED');
  });

  it('reports a missing metadata document with the URLs tried', async () => {
    await expect(discoverAuthorizationServer(`${idp.url}/nope`, fetch)).rejects.toThrow(
      /no authorization server metadata found; tried/,
    );
  });
});

describe('authorization code + PKCE with a dynamically registered client', () => {
  let config: UpstreamOAuthConfig;
  let now = Date.now();
  const tokens = new MemoryOAuthTokenStore();
  const client = new UpstreamOAuthClient({
    fetch,
    tokens,
    states: new MemoryOAuthStateStore(),
    now: () => now,
  });
  const lookup = async (id: string) => (id === config.gatewayId ? config : undefined);

  beforeAll(async () => {
    const md = await discoverAuthorizationServer(idp.issuer, fetch);
    const registered = await registerClient(
      md.registration_endpoint!,
      { client_name: 'ContextForge', redirect_uris: [REDIRECT] },
      fetch,
    );
    expect(registered.client_id).toMatch(/^dcr-/);
    expect(registered.client_secret).toBeTruthy();
    config = {
      gatewayId: 'gw-1',
      grantType: 'authorization_code',
      issuer: idp.issuer,
      clientId: registered.client_id,
      clientSecret: registered.client_secret!,
      scopes: ['mcp:read', 'offline_access'],
      resource: `${idp.url}/mcp`,
      redirectUri: REDIRECT,
    };
  });

  it('requires user authorization before any token exists', async () => {
    expect(await code(client.getAccessToken(config, 'alice@example.com'))).toBe(
      'OAUTH_AUTHORIZATION_REQUIRED',
    );
  });

  it('runs the full flow, stores a per-user token usable at the resource, and consumes the state once', async () => {
    const { url, state } = await client.startAuthorization(config, 'alice@example.com', '/admin#gateways');
    const u = new URL(url);
    expect(u.searchParams.get('code_challenge_method')).toBe('S256');
    expect(u.searchParams.get('resource')).toBe(`${idp.url}/mcp`);
    const cb = await authorizeInBrowser(url);
    expect(cb.get('state')).toBe(state);
    const done = await client.completeAuthorization(
      { state, code: cb.get('code')!, iss: cb.get('iss')! },
      lookup,
    );
    expect(done).toEqual({ gatewayId: 'gw-1', userEmail: 'alice@example.com', returnTo: '/admin#gateways' });
    const access = await client.getAccessToken(config, 'alice@example.com');
    const res = await fetch(`${idp.url}/mcp`, { headers: { authorization: `Bearer ${access}` } });
    expect(await res.json()).toMatchObject({ ok: true, sub: 'user-1', aud: `${idp.url}/mcp` });
    expect(await code(client.completeAuthorization({ state, code: cb.get('code')! }, lookup))).toBe(
      'OAUTH_INVALID_STATE',
    );
    expect(await code(client.getAccessToken(config, 'bob@example.com'))).toBe('OAUTH_AUTHORIZATION_REQUIRED');
  });

  it('refreshes an expiring token (once, for concurrent callers) and after an upstream 401', async () => {
    const before = await client.getAccessToken(config, 'alice@example.com');
    const refreshes = idp.stats.grants.refresh_token ?? 0;
    now += 299_000; // within the 60 s refresh skew of the 300 s lifetime
    const [a, b, c] = await Promise.all(
      [1, 2, 3].map(() => client.getAccessToken(config, 'alice@example.com')),
    );
    expect(a).not.toBe(before);
    expect(new Set([a, b, c]).size).toBe(1);
    expect(idp.stats.grants.refresh_token).toBe(refreshes + 1);
    const after401 = await client.onUnauthorized(config, 'alice@example.com', a!);
    expect(after401).not.toBe(a);
    expect(idp.stats.grants.refresh_token).toBe(refreshes + 2);
    // A second 401 report for the already-replaced token does not refresh again.
    expect(await client.onUnauthorized(config, 'alice@example.com', a!)).toBe(after401);
  });

  it('falls back to re-authorization when the refresh token is dead', async () => {
    const stored = await tokens.get({ gatewayId: 'gw-1', userEmail: 'alice@example.com' });
    await tokens.set(
      { gatewayId: 'gw-1', userEmail: 'alice@example.com' },
      { ...stored!, refreshToken: 'revoked', expiresAt: 0 },
    );
    expect(await code(client.getAccessToken(config, 'alice@example.com'))).toBe(
      'OAUTH_AUTHORIZATION_REQUIRED',
    );
  });

  it('rejects a callback whose iss names another server (RFC 9207 mix-up defence)', async () => {
    const { url, state } = await client.startAuthorization(config, 'alice@example.com');
    const cb = await authorizeInBrowser(url);
    expect(
      await code(
        client.completeAuthorization({ state, code: cb.get('code')!, iss: 'https://evil.example' }, lookup),
      ),
    ).toBe('OAUTH_INVALID_STATE');
  });
});

describe('client credentials', () => {
  it('fetches, caches and re-fetches the gateway token; wrong secrets fail with the server error', async () => {
    idp.registerClient({
      client_id: 'svc',
      client_secret: 'svc-secret',
      grant_types: ['client_credentials'],
      token_endpoint_auth_method: 'client_secret_post',
    });
    let now = Date.now();
    const client = new UpstreamOAuthClient({
      fetch,
      tokens: new MemoryOAuthTokenStore(),
      states: new MemoryOAuthStateStore(),
      now: () => now,
    });
    const config: UpstreamOAuthConfig = {
      gatewayId: 'gw-cc',
      grantType: 'client_credentials',
      tokenEndpoint: `${idp.issuer}/token`,
      clientId: 'svc',
      clientSecret: 'svc-secret',
      tokenEndpointAuthMethod: 'client_secret_post',
      scopes: ['mcp:read'],
    };
    const before = idp.stats.grants.client_credentials ?? 0;
    const t1 = await client.getAccessToken(config, 'ignored@example.com');
    expect(await client.getAccessToken(config)).toBe(t1);
    expect(idp.stats.grants.client_credentials).toBe(before + 1);
    now += 3_600_000;
    expect(await client.getAccessToken(config)).not.toBe(t1);
    const bad = new UpstreamOAuthClient({
      fetch,
      tokens: new MemoryOAuthTokenStore(),
      states: new MemoryOAuthStateStore(),
    });
    const err = await bad.getAccessToken({ ...config, clientSecret: 'wrong' }).catch((e: unknown) => e);
    expect(isSecurityError(err) && [err.code, err.status, err.details?.error]).toEqual([
      'OAUTH_UPSTREAM_ERROR',
      502,
      'invalid_client',
    ]);
    expect(JSON.stringify(err)).not.toContain('wrong');
  });

  it('surfaces registration errors from the server', async () => {
    const err = await registerClient(
      `${idp.issuer}/register`,
      { client_name: 'x', redirect_uris: [] },
      fetch,
    ).catch((e: unknown) => e);
    expect(isSecurityError(err) && err.details?.error).toBe('invalid_redirect_uri');
  });
});
