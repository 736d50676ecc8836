// SSO and OAuth against the local test identity provider (servers/test-idp, a real OIDC/OAuth server on
// 127.0.0.1): OIDC login with PKCE, state and nonce (group → team/role/admin mapping, replay and forged ID
// tokens refused), GitHub login, the MCP endpoints as an OAuth resource server (RFC 9728 metadata, RFC 8707
// audience), and the gateway as an OAuth client of an upstream: per-user authorization code + PKCE,
// refresh, client credentials and dynamic client registration (RFC 7591).
import { startTestIdp, type TestIdp } from '@contextforge-internal/test-idp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/http/serve-app.js';
import type { Principal } from '../../src/security/authn/principal.js';
import { type TestGateway, testGateway } from '../gateway-helpers.js';

let idp: TestIdp;
let t: TestGateway;
let gw: RunningServer;

beforeAll(async () => {
  idp = await startTestIdp({
    issuerPath: '/realms/acme',
    accessTokenTtlSec: 30,
    users: [
      {
        sub: 'u-1',
        email: 'alice@acme.test',
        name: 'Alice',
        groups: ['eng', 'platform-admins'],
        login: 'alice',
        orgs: ['acme'],
      },
      {
        sub: 'u-2',
        email: 'bob@acme.test',
        email_verified: false,
        name: 'Bob',
        groups: [],
        login: 'bob',
        orgs: [],
      },
      { sub: 'u-3', email: 'carol@other.test', name: 'Carol', groups: ['eng'], login: 'carol', orgs: [] },
    ],
  });
  t = await testGateway('sqlite', {
    SSRF_ALLOW_LOCALHOST: 'true',
    SSO_ENABLED: 'true',
    SSO_GENERIC_ENABLED: 'true',
    SSO_GENERIC_PROVIDER_ID: 'acme',
    SSO_GENERIC_CLIENT_ID: 'gateway',
    SSO_GENERIC_CLIENT_SECRET: 'gateway-secret',
    SSO_GENERIC_ISSUER: idp.issuer,
    SSO_GENERIC_SCOPE: 'openid email profile groups',
    SSO_GROUP_MAPPINGS: JSON.stringify([
      { group: 'eng', team: 'engineering', team_role: 'developer' },
      { group: 'platform-admins', admin: true },
    ]),
    SSO_TRUSTED_DOMAINS: 'acme.test',
    SSO_API_TOKEN_AUTH_ENABLED: 'true',
    SSO_GITHUB_ENABLED: 'true',
    SSO_GITHUB_CLIENT_ID: 'gh-app',
    SSO_GITHUB_CLIENT_SECRET: 'gh-secret',
    SSO_GITHUB_WEB_URL: `${idp.url}/github`,
    SSO_GITHUB_API_URL: `${idp.url}/github/api`,
    SSO_GITHUB_ADMIN_ORGS: 'acme',
    DEFAULT_USER_ROLE: 'none',
  });
  gw = await t.gw.listen(0, '127.0.0.1');
  idp.registerClient({
    client_id: 'gateway',
    client_secret: 'gateway-secret',
    redirect_uris: [`${gw.url}/v1/auth/sso/callback/acme`],
  });
  idp.registerClient({
    client_id: 'gh-app',
    client_secret: 'gh-secret',
    redirect_uris: [`${gw.url}/v1/auth/sso/callback/github`],
  });
  expect((await t.call('POST', '/v1/teams', { name: 'Engineering', slug: 'engineering' })).status).toBe(201);
});
afterAll(async () => {
  await t.close();
  await idp.close();
});

/** Plays the browser: GET `url` without following, returns the Location. */
async function hop(url: string, headers: Record<string, string> = {}): Promise<string> {
  const res = await fetch(url, { redirect: 'manual', headers });
  expect(res.status, `${url} → ${res.status} ${await res.clone().text()}`).toBe(302);
  return res.headers.get('location')!;
}

/** A full SSO login: gateway → IdP → gateway callback; returns the callback's answer. */
async function ssoLogin(provider: string, hint: string): Promise<Response> {
  const toIdp = await hop(`${gw.url}/v1/auth/sso/login/${provider}?login_hint=${encodeURIComponent(hint)}`);
  const back = await hop(toIdp);
  return fetch(back, { redirect: 'manual' });
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('OIDC single sign-on', () => {
  it('lists the enabled providers', async () => {
    const r = await t.call('GET', '/v1/auth/sso/providers', undefined, { authorization: '' });
    expect(r.body.map((p: { id: string }) => p.id).sort()).toEqual(['acme', 'github']);
  });

  it('signs a user in with PKCE + state + nonce, creates the account and applies the group mappings', async () => {
    const toIdp = new URL(await hop(`${gw.url}/v1/auth/sso/login/acme?login_hint=alice@acme.test`));
    expect(toIdp.searchParams.get('code_challenge_method')).toBe('S256');
    expect(toIdp.searchParams.get('nonce')).toBeTruthy();
    expect(toIdp.searchParams.get('redirect_uri')).toBe(`${gw.url}/v1/auth/sso/callback/acme`);
    const back = await hop(toIdp.toString());
    const res = await fetch(back, { redirect: 'manual' });
    expect(res.status).toBe(200);
    const session = (await res.json()) as {
      access_token: string;
      user: { email: string; is_admin: boolean; auth_provider: string };
    };
    expect(session.user).toMatchObject({ email: 'alice@acme.test', is_admin: true, auth_provider: 'acme' });
    expect(res.headers.getSetCookie().join()).toContain('jwt_token=');
    const roles = await t.call('GET', '/v1/rbac/my/roles', undefined, bearer(session.access_token));
    const team = (await t.call('GET', '/v1/teams')).body.teams.find(
      (x: { slug: string }) => x.slug === 'engineering',
    );
    expect(roles.body).toContainEqual({ role_name: 'developer', scope: 'team', scope_id: team.id });
    // The callback's state was consumed: replaying it fails cleanly.
    const replay = await fetch(back, { redirect: 'manual' });
    expect(replay.status).toBe(400);
    expect(((await replay.json()) as { error: { code: string } }).error.code).toBe('OAUTH_INVALID_STATE');
  });

  it('refuses a forged ID token, a provider error and an untrusted email domain with clear 4xx', async () => {
    idp.misbehave.idTokenAudience = 'someone-else';
    try {
      const forged = await ssoLogin('acme', 'alice@acme.test');
      expect(forged.status).toBe(401);
      expect(((await forged.json()) as { error: { code: string } }).error.code).toBe('OIDC_FAILED');
    } finally {
      delete idp.misbehave.idTokenAudience;
    }
    const denied = await fetch(`${gw.url}/v1/auth/sso/callback/acme?error=access_denied&state=x`);
    expect(denied.status).toBe(400);
    const other = await ssoLogin('acme', 'carol@other.test');
    expect(other.status).toBe(403);
    expect(((await other.json()) as { error: { message: string } }).error.message).toContain(
      "email domain 'other.test' is not trusted",
    );
  });

  it('never links an unverified email to an existing account', async () => {
    await t.call('POST', '/v1/auth/email/admin/users', {
      email: 'bob@acme.test',
      password: 'Local-Passw0rd-7!',
    });
    const r = await ssoLogin('acme', 'bob@acme.test');
    expect(r.status).toBe(403);
    expect(((await r.json()) as { error: { message: string } }).error.message).toContain(
      'has not verified this email',
    );
  });

  it('signs in with GitHub (OAuth web flow), organisations mapped to admin', async () => {
    const r = await ssoLogin('github', 'alice');
    expect(r.status).toBe(200);
    const session = (await r.json()) as { user: { email: string; is_admin: boolean } };
    expect(session.user).toMatchObject({ email: 'alice@acme.test', is_admin: true });
  });

  it('manages database providers with the client secret stored encrypted and never shown', async () => {
    const made = await t.call('POST', '/v1/auth/sso/admin/providers', {
      id: 'partner',
      display_name: 'Partner',
      issuer: idp.issuer,
      client_id: 'partner-client',
      client_secret: 'partner-secret',
    });
    expect(made.status).toBe(201);
    expect(made.body.client_secret).toBe('*****');
    const raw = await t.gw.database.db
      .selectFrom('sso_providers')
      .select('client_secret_enc')
      .executeTakeFirstOrThrow();
    expect(raw.client_secret_enc).not.toContain('partner-secret');
    const ids = (await t.call('GET', '/v1/auth/sso/providers', undefined, { authorization: '' })).body.map(
      (p: { id: string }) => p.id,
    );
    expect(ids).toContain('partner');
    expect((await t.call('DELETE', '/v1/auth/sso/admin/providers/partner')).status).toBe(200);
  });
});

describe('MCP endpoints as an OAuth resource server', () => {
  beforeAll(async () => {
    await t.call('POST', '/v1/servers', { id: 'rs', name: 'RS', visibility: 'public' });
  });

  // The gateway's own MCP endpoint (`gw`, listening since the start): the resource the tokens name.
  const list = (path: string, token?: string) =>
    fetch(`${gw.url}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-protocol-version': '2026-07-28',
        'mcp-method': 'tools/list',
        ...(token ? bearer(token) : {}),
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/list',
        params: {
          _meta: {
            'io.modelcontextprotocol/protocolVersion': '2026-07-28',
            'io.modelcontextprotocol/clientInfo': { name: 't', version: '1' },
            'io.modelcontextprotocol/clientCapabilities': {},
          },
        },
      }),
    });

  it('publishes RFC 9728 metadata naming the identity provider, per virtual server', async () => {
    const get = async (path: string) => {
      const res = await fetch(`${gw.url}${path}`);
      return { status: res.status, body: await res.json() };
    };
    const md = await get('/.well-known/oauth-protected-resource/servers/rs/mcp');
    expect(md.body).toEqual({
      resource: `${gw.url}/servers/rs/mcp`,
      authorization_servers: [idp.issuer],
      bearer_methods_supported: ['header'],
      scopes_supported: ['mcp:read'],
      resource_name: 'RS',
    });
    const legacy = await get('/servers/rs/.well-known/oauth-protected-resource');
    expect(legacy.body).toEqual(md.body);
    expect((await get('/.well-known/oauth-protected-resource/servers/nope/mcp')).status).toBe(404);
  });

  it('accepts an IdP access token meant for this server, refuses one for another resource', async () => {
    const resource = `${gw.url}/servers/rs/mcp`;
    const good = await idp.issueAccessToken({ sub: 'u-1', aud: resource, scope: 'mcp:read' });
    const ok = await list('/servers/rs/mcp', good);
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { result: { tools: unknown[] } }).result.tools).toEqual([]);
    const elsewhere = await idp.issueAccessToken({
      sub: 'u-1',
      aud: 'https://other.example/mcp',
      scope: 'mcp:read',
    });
    const r = await list('/servers/rs/mcp', elsewhere);
    expect(r.status).toBe(401);
    expect(r.headers.get('www-authenticate')).toContain('error="invalid_token"');
    // A subject that never signed in to the gateway is nobody here.
    const stranger = await idp.issueAccessToken({ sub: 'u-9', aud: resource });
    expect((await list('/servers/rs/mcp', stranger)).status).toBe(401);
  });
});

describe('the gateway as an OAuth client of its upstreams', () => {
  let alice: string;
  let principal: Principal;
  beforeAll(async () => {
    alice = await t.gw.auth!.mintToken({ subject: 'alice@acme.test', session: true });
    principal = await t.gw.auth!.authenticateNode(
      { authorization: `Bearer ${alice}`, host: 'localhost' },
      '127.0.0.1',
    );
  });

  it('authorizes an upstream per user with PKCE, stores the tokens encrypted, and refreshes them', async () => {
    idp.registerClient({
      client_id: 'upstream',
      client_secret: 'upstream-secret',
      redirect_uris: [`${gw.url}/oauth/callback`],
    });
    const created = await t.call('POST', '/v1/gateways', {
      name: 'protected-upstream',
      url: `${idp.url}/mcp`,
      transport: 'STREAMABLEHTTP',
      visibility: 'public',
      auth_type: 'oauth',
      oauth_config: {
        grant_type: 'authorization_code',
        issuer: idp.issuer,
        client_id: 'upstream',
        client_secret: 'upstream-secret',
        scopes: ['mcp:read'],
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.id as string;
    // Before authorizing, the pipeline is told where to send the user.
    await expect(t.gw.auth!.upstreamAuth(id, principal)).rejects.toMatchObject({
      code: 'OAUTH_AUTHORIZATION_REQUIRED',
    });

    const toAs = new URL(await hop(`${gw.url}/oauth/authorize/${id}`, bearer(alice)));
    expect(toAs.searchParams.get('code_challenge_method')).toBe('S256');
    expect(toAs.searchParams.get('resource')).toBe(`${idp.url}/mcp`);
    const callback = await hop(toAs.toString());
    const done = await fetch(callback);
    expect(done.status).toBe(200);
    expect(await done.json()).toMatchObject({ success: true, gateway_id: id, user_email: 'alice@acme.test' });

    const status = await t.call('GET', `/oauth/status/${id}`, undefined, bearer(alice));
    expect(status.body).toMatchObject({
      authorized: true,
      has_refresh_token: true,
      grant_type: 'authorization_code',
    });
    const raw = await t.gw.database.db
      .selectFrom('oauth_tokens')
      .selectAll()
      .where('gateway_id', '=', id)
      .executeTakeFirstOrThrow();
    const auth = await t.gw.auth!.upstreamAuth(id, principal);
    expect(raw.access_token_enc).not.toContain(auth.oauthToken!.slice(0, 20));
    const upstream = await fetch(`${idp.url}/mcp`, { headers: auth.headers });
    expect(upstream.status).toBe(200);
    expect(await upstream.json()).toMatchObject({ sub: 'u-1', aud: `${idp.url}/mcp` });

    // The access token expires within the refresh skew: the next use refreshes (rotating the refresh token).
    const before = idp.stats.grants.refresh_token ?? 0;
    const again = await t.gw.auth!.upstreamAuth(id, principal);
    expect(idp.stats.grants.refresh_token).toBe(before + 1);
    expect(again.oauthToken).not.toBe(auth.oauthToken);
    expect((await fetch(`${idp.url}/mcp`, { headers: again.headers })).status).toBe(200);
    // After an upstream 401, one forced refresh.
    const forced = await t.gw.auth!.onUpstreamUnauthorized(id, principal, again.oauthToken!);
    expect(forced).toBeTruthy();
    expect(forced).not.toBe(again.oauthToken);
    // Another user has authorized nothing; the client's own bearer never travels upstream.
    expect(auth.headers.Authorization).not.toContain(alice);
  });

  it('uses client credentials for a gateway-level token', async () => {
    idp.registerClient({
      client_id: 'svc',
      client_secret: 'svc-secret',
      grant_types: ['client_credentials'],
    });
    const created = await t.call('POST', '/v1/gateways', {
      name: 'service-upstream',
      url: `${idp.url}/mcp`,
      transport: 'STREAMABLEHTTP',
      auth_type: 'oauth',
      oauth_config: {
        grant_type: 'client_credentials',
        issuer: idp.issuer,
        client_id: 'svc',
        client_secret: 'svc-secret',
      },
    });
    const auth = await t.gw.auth!.upstreamAuth(created.body.id, principal);
    expect((await fetch(`${idp.url}/mcp`, { headers: auth.headers })).status).toBe(200);
  });

  it('registers itself dynamically (RFC 7591) when oauth_config has no client, after RFC 9728 discovery', async () => {
    const before = idp.stats.register;
    const created = await t.call('POST', '/v1/gateways', {
      name: 'dcr-upstream',
      url: `${idp.url}/mcp`,
      transport: 'STREAMABLEHTTP',
      visibility: 'public',
      auth_type: 'oauth',
      oauth_config: { grant_type: 'authorization_code' },
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const toAs = new URL(await hop(`${gw.url}/oauth/authorize/${id}`, bearer(alice)));
    expect(idp.stats.register).toBe(before + 1);
    expect(toAs.searchParams.get('client_id')).toMatch(/^dcr-/);
    expect(toAs.searchParams.get('scope')).toBe('mcp:read');
    expect((await fetch(await hop(toAs.toString()))).status).toBe(200);
    const auth = await t.gw.auth!.upstreamAuth(id, principal);
    expect((await fetch(`${idp.url}/mcp`, { headers: auth.headers })).status).toBe(200);
    // The registration is stored once (secret encrypted) and listed for admins without it.
    await hop(`${gw.url}/oauth/authorize/${id}`, bearer(alice));
    expect(idp.stats.register).toBe(before + 1);
    const listed = await t.call('GET', `/oauth/registered-clients/${id}`);
    expect(listed.body.clients).toHaveLength(1);
    expect(listed.body.clients[0]).toMatchObject({ issuer: idp.issuer, has_client_secret: true });
    expect(JSON.stringify(listed.body)).not.toContain(
      idp.clients.get(listed.body.clients[0].client_id)!.client_secret!,
    );
    expect((await t.call('GET', '/oauth/registered-clients', undefined, bearer(alice))).status).toBe(200); // alice is admin
  });

  it('refuses unknown, replayed or erroneous callbacks with 400', async () => {
    expect((await fetch(`${gw.url}/oauth/callback?state=nope&code=x`)).status).toBe(400);
    expect((await fetch(`${gw.url}/oauth/callback?error=access_denied`)).status).toBe(400);
    expect((await fetch(`${gw.url}/oauth/callback`)).status).toBe(400);
  });
});
