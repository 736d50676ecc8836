// Reference wiring of the security building blocks into a Hono app, end to end: an MCP client discovers
// the authorization server from the gateway's 401 (RFC 9728), registers (RFC 7591), authorizes with PKCE
// against the local test IdP and calls a virtual server with an audience-bound token (RFC 8707); gateway
// JWTs and API tokens go through the same resolver; RBAC, token scopes and tool-argument validation
// answer 403/422. The gateway's real routes are wired the same way once the core lands.
import { startTestIdp, type TestIdp } from '@contextforge-internal/test-idp';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ApiTokenHasher,
  ApiTokenService,
  ApiTokenStrategy,
  AuthResolver,
  assertAudience,
  assertPermission,
  authRequestFromHeaders,
  bodyLimits,
  buildWwwAuthenticate,
  compileRoleMap,
  createSafeFetch,
  createSsrfPolicy,
  createToken,
  deriveApiTokenPepper,
  discoverFromResource,
  JwksCache,
  JwtBearerStrategy,
  JwtVerifier,
  MemoryApiTokenStore,
  MemoryOAuthStateStore,
  MemoryOAuthTokenStore,
  onSecurityError,
  type Principal,
  protectedResourceMetadata,
  protectedResourceMetadataUrl,
  registerClient,
  resourcePathFromMetadataPath,
  SecurityError,
  SsrfGuard,
  securityHeaders,
  ToolArgumentValidator,
  UpstreamOAuthClient,
} from '../src/index.js';
import { serveApp } from './helpers/hono-server.js';

const SECRET = 'wiring-test-secret-wiring-test-secret-0123456789';
const REDIRECT = 'http://127.0.0.1:1/callback';
const fetch = createSafeFetch({ guard: new SsrfGuard(createSsrfPolicy({ allowLocalhost: true })) });
let idp: TestIdp;
let gw: Awaited<ReturnType<typeof serveApp>>;
let apiTokens: ApiTokenService;

const roleMap = compileRoleMap();
const roles: Record<string, Principal['roles']> = {
  'alice@example.com': [{ role: 'developer', teamId: 'team-1' }],
  'viewer@example.com': [{ role: 'platform_viewer', teamId: null }],
};
const ssoUsers: Record<string, string> = { 'u-1': 'alice@example.com' };
const toolSchema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };

beforeAll(async () => {
  idp = await startTestIdp({ users: [{ sub: 'u-1', email: 'alice@example.com', name: 'Alice' }] });
  const jwks = new JwksCache({ fetch });
  const external = await JwtVerifier.create({
    algorithms: ['RS256'],
    jwksUrl: `${idp.issuer}/jwks`,
    jwks,
    issuer: idp.issuer,
    requireJti: false,
  });
  const own = await JwtVerifier.create({ secret: SECRET, issuer: 'mcpgateway', audience: 'mcpgateway-api' });
  apiTokens = new ApiTokenService({
    store: new MemoryApiTokenStore(),
    hasher: new ApiTokenHasher(deriveApiTokenPepper(SECRET)),
  });
  const validator = new ToolArgumentValidator();
  let base = '';
  const resolver = new AuthResolver({
    strategies: [
      new JwtBearerStrategy({ verifier: own, externalIssuers: new Map([[idp.issuer, external]]) }),
      new ApiTokenStrategy({ service: apiTokens }),
    ],
    // The DB lookup of the real gateway: roles by user; external IdP subjects map to users through the
    // SSO identity table (provider issuer + sub → email).
    enrich: async (p) => {
      const email = p.authMethod === 'sso' ? ssoUsers[p.subject] : p.subject;
      if (!email) throw new SecurityError('UNAUTHENTICATED', 'unknown external user');
      return { ...p, subject: email, email, roles: roles[email] ?? [] };
    },
    challenge: (e) => buildWwwAuthenticate({ resourceMetadata: currentMetadataUrl, error: e }),
  });
  let currentMetadataUrl = '';

  const app = new Hono<{ Variables: { principal: Principal } }>();
  app.onError(onSecurityError);
  app.use('*', securityHeaders());
  app.use('*', bodyLimits({ maxBytes: 64 * 1024, maxDepth: 32 }));
  app.get('/.well-known/oauth-protected-resource/*', (c) => {
    const path = resourcePathFromMetadataPath(c.req.path) ?? '/';
    return c.json(
      protectedResourceMetadata({
        resource: `${base}${path}`,
        authorizationServers: [idp.issuer],
        scopesSupported: ['mcp:read'],
      }),
    );
  });
  app.use('/servers/:id/mcp', async (c, next) => {
    currentMetadataUrl = protectedResourceMetadataUrl(`${base}${c.req.path}`);
    const principal = await resolver.resolve(authRequestFromHeaders(c.req.raw.headers, '127.0.0.1'));
    // OAuth resource-server rule: an external token must be meant for this very server.
    if (principal.authMethod === 'sso') {
      try {
        assertAudience(principal.claims?.aud, [`${base}${c.req.path}`]);
      } catch (err) {
        const e = err as SecurityError;
        throw new SecurityError(e.code, e.message, {
          headers: {
            'WWW-Authenticate': buildWwwAuthenticate({ resourceMetadata: currentMetadataUrl, error: e }),
          },
        });
      }
    }
    c.set('principal', principal);
    await next();
  });
  app.post('/servers/:id/mcp', async (c) => {
    const body = (await c.req.json()) as { params: { name: string; arguments?: unknown } };
    assertPermission(roleMap, c.get('principal'), 'tools.execute', {
      serverId: c.req.param('id'),
      teamId: 'team-1',
    });
    validator.assertValid(toolSchema, body.params.arguments, body.params.name);
    return c.json({ ok: true, as: c.get('principal').subject, via: c.get('principal').authMethod });
  });
  gw = await serveApp(app as unknown as Hono);
  base = gw.url;
});
afterAll(async () => {
  await gw.close();
  await idp.close();
});

const call = (server: string, token: string | undefined, args: unknown = { city: 'Paris' }) =>
  fetch(`${gw.url}/servers/${server}/mcp`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: { name: 'weather', arguments: args },
    }),
  });

describe('MCP endpoint as an OAuth 2.1 resource server', () => {
  it('challenges with resource_metadata; a client discovers, registers, authorizes and calls with an audience-bound token', async () => {
    const unauth = await call('s1', undefined);
    expect(unauth.status).toBe(401);
    expect(unauth.headers.get('www-authenticate')).toBe(
      `Bearer resource_metadata="${gw.url}/.well-known/oauth-protected-resource/servers/s1/mcp"`,
    );
    const discovered = await discoverFromResource(`${gw.url}/servers/s1/mcp`, fetch);
    expect(discovered.authorizationServer.issuer).toBe(idp.issuer);
    const reg = await registerClient(
      discovered.authorizationServer.registration_endpoint!,
      { client_name: 'mcp client', redirect_uris: [REDIRECT] },
      fetch,
    );
    const client = new UpstreamOAuthClient({
      fetch,
      tokens: new MemoryOAuthTokenStore(),
      states: new MemoryOAuthStateStore(),
    });
    const config = {
      gatewayId: 's1',
      grantType: 'authorization_code' as const,
      issuer: idp.issuer,
      clientId: reg.client_id,
      clientSecret: reg.client_secret!,
      resource: discovered.resource,
      redirectUri: REDIRECT,
      scopes: discovered.scopes,
    };
    const { url, state } = await client.startAuthorization(config, 'alice@example.com');
    const cb = new URL((await fetch(url, { redirect: 'manual' })).headers.get('location')!).searchParams;
    await client.completeAuthorization({ state, code: cb.get('code')! }, async () => config);
    const token = await client.getAccessToken(config, 'alice@example.com');
    const ok = await call('s1', token);
    expect(await ok.json()).toEqual({ ok: true, as: 'alice@example.com', via: 'sso' });

    const elsewhere = await call('s2', token);
    expect(elsewhere.status).toBe(401);
    expect(elsewhere.headers.get('www-authenticate')).toContain('error="invalid_token"');
    expect(elsewhere.headers.get('www-authenticate')).toContain(
      '/.well-known/oauth-protected-resource/servers/s2/mcp',
    );
  });
});

describe('gateway credentials, RBAC, scopes and validation on one route', () => {
  it('accepts gateway JWTs with the right role and answers 403 without it', async () => {
    const dev = await createToken({ subject: 'alice@example.com', secret: SECRET, teams: ['team-1'] });
    expect((await call('s1', dev)).status).toBe(200);
    const viewer = await createToken({ subject: 'viewer@example.com', secret: SECRET });
    const denied = await call('s1', viewer);
    expect(denied.status).toBe(403);
    expect(((await denied.json()) as { error: { message: string } }).error.message).toBe(
      "permission 'tools.execute' required",
    );
  });

  it('holds API tokens to their server scope', async () => {
    const { token } = await apiTokens.issue({
      name: 'ci',
      ownerEmail: 'alice@example.com',
      teamId: 'team-1',
      scope: { serverIds: ['s2'] },
    });
    expect((await call('s2', token)).status).toBe(200);
    const other = await call('s1', token);
    expect(other.status).toBe(403);
    expect(((await other.json()) as { error: { code: string } }).error.code).toBe('SCOPE_DENIED');
  });

  it('answers 422 naming the field for bad tool arguments, and 401 for a forged token', async () => {
    const dev = await createToken({ subject: 'alice@example.com', secret: SECRET, teams: ['team-1'] });
    const bad = await call('s1', dev, { city: 42 });
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { error: { field: string } }).error.field).toBe('arguments.city');
    const forged = await createToken({
      subject: 'alice@example.com',
      secret: 'not-the-gateway-secret-but-long-enough',
    });
    expect((await call('s1', forged)).status).toBe(401);
  });
});
