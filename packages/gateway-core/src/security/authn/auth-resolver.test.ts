import { describe, expect, it } from 'vitest';
import { ApiTokenHasher, deriveApiTokenPepper } from '../api-tokens/api-token-hasher.js';
import { ApiTokenService } from '../api-tokens/api-token-service.js';
import { MemoryApiTokenStore } from '../api-tokens/api-token-store.js';
import { isSecurityError } from '../errors.js';
import { createToken } from '../jwt/create-token.js';
import { JwtVerifier } from '../jwt/jwt-verifier.js';
import { MemoryTokenRevocationStore } from '../jwt/revocation-store.js';
import { buildWwwAuthenticate } from '../oauth/www-authenticate.js';
import { authRequestFromHeaders, authRequestFromNodeHeaders } from './auth-request.js';
import { AuthResolver } from './auth-resolver.js';
import type { Principal } from './principal.js';
import { ApiTokenStrategy } from './strategies/api-token-strategy.js';
import { BasicAuthStrategy, staticBasicCredentials } from './strategies/basic-auth-strategy.js';
import { JwtBearerStrategy } from './strategies/jwt-bearer-strategy.js';

const SECRET = 'resolver-test-secret-with-enough-length-1234';

async function setup(options: { authRequired?: boolean } = {}) {
  let now = Date.now();
  const revocation = new MemoryTokenRevocationStore();
  const verifier = await JwtVerifier.create({
    secret: SECRET,
    issuer: 'mcpgateway',
    audience: 'mcpgateway-api',
    revocation,
    now: () => now,
  });
  const tokens = new ApiTokenService({
    store: new MemoryApiTokenStore(),
    hasher: new ApiTokenHasher(deriveApiTokenPepper('x'.repeat(40))),
    now: () => now,
  });
  let enrichCalls = 0;
  const roles: Record<string, Principal['roles']> = { 'dev@x': [{ role: 'developer', teamId: 't1' }] };
  const resolver = new AuthResolver({
    strategies: [
      new JwtBearerStrategy({ verifier, cookieName: 'jwt_token' }),
      new ApiTokenStrategy({ service: tokens }),
      new BasicAuthStrategy(
        staticBasicCredentials('admin', 'changeme-please', {
          subject: 'admin',
          authMethod: 'basic',
          isAdmin: true,
          teams: { kind: 'admin-bypass' },
          roles: [],
        }),
      ),
    ],
    enrich: async (p) => {
      enrichCalls++;
      if (p.subject === 'disabled@x')
        throw new (await import('../errors.js')).SecurityError('UNAUTHENTICATED', 'user is disabled');
      return { ...p, roles: roles[p.subject] ?? [] };
    },
    challenge: (e) =>
      buildWwwAuthenticate({
        resourceMetadata: 'https://gw.example/.well-known/oauth-protected-resource',
        error: e,
      }),
    now: () => now,
    ...options,
  });
  const req = (authorization?: string, ip = '127.0.0.1', extra: Record<string, string> = {}) =>
    authRequestFromHeaders(new Headers({ ...(authorization ? { authorization } : {}), ...extra }), ip);
  return {
    resolver,
    tokens,
    revocation,
    req,
    enriched: () => enrichCalls,
    advance: (ms: number) => (now += ms),
  };
}

async function failure(p: Promise<unknown>) {
  try {
    await p;
  } catch (err) {
    if (isSecurityError(err)) return err;
    throw err;
  }
  throw new Error('expected failure');
}

describe('AuthResolver', () => {
  it('resolves a JWT into a principal with claims semantics and enriched roles, caching it', async () => {
    const { resolver, req, enriched } = await setup();
    const jwt = await createToken({ subject: 'dev@x', secret: SECRET, teams: ['t1'], expiresInMinutes: 10 });
    const p = await resolver.resolve(req(`Bearer ${jwt}`));
    expect(p).toMatchObject({
      subject: 'dev@x',
      email: 'dev@x',
      authMethod: 'jwt',
      teams: { kind: 'teams', teamIds: ['t1'] },
    });
    expect(p.roles).toEqual([{ role: 'developer', teamId: 't1' }]);
    expect(await resolver.resolve(req(`Bearer ${jwt}`))).toBe(p);
    expect(enriched()).toBe(1);
    expect(resolver.cacheSize).toBe(1);
  });

  it('shares one verification between concurrent first requests with the same credential', async () => {
    const { resolver, req, enriched } = await setup();
    const jwt = await createToken({ subject: 'dev@x', secret: SECRET });
    const all = await Promise.all(Array.from({ length: 5 }, () => resolver.resolve(req(`Bearer ${jwt}`))));
    expect(new Set(all).size).toBe(1);
    expect(enriched()).toBe(1);
  });

  it('reads a session JWT from the cookie and the node header adapter', async () => {
    const { resolver } = await setup();
    const jwt = await createToken({ subject: 'dev@x', secret: SECRET });
    const p = await resolver.resolve(authRequestFromNodeHeaders({ cookie: `a=b; jwt_token=${jwt}` }, '::1'));
    expect(p.subject).toBe('dev@x');
  });

  it('never serves a cached entry past the token expiry', async () => {
    const { resolver, req, advance } = await setup();
    const jwt = await createToken({ subject: 'dev@x', secret: SECRET, expiresInMinutes: 1 });
    await resolver.resolve(req(`Bearer ${jwt}`));
    advance(61_000 + 30_000);
    expect((await failure(resolver.resolve(req(`Bearer ${jwt}`)))).code).toBe('TOKEN_EXPIRED');
  });

  it('drops cached entries on revocation and subject invalidation', async () => {
    const { resolver, revocation, req, enriched } = await setup();
    const jwt = await createToken({ subject: 'dev@x', secret: SECRET, jti: 'jti-1' });
    await resolver.resolve(req(`Bearer ${jwt}`));
    await revocation.revoke({ jti: 'jti-1', expiresAt: null });
    expect(await resolver.resolve(req(`Bearer ${jwt}`))).toBeTruthy(); // still cached: the broadcast has not arrived
    expect(resolver.invalidateToken('jti-1')).toBe(1);
    expect((await failure(resolver.resolve(req(`Bearer ${jwt}`)))).code).toBe('TOKEN_REVOKED');
    const other = await createToken({ subject: 'dev@x', secret: SECRET });
    await resolver.resolve(req(`Bearer ${other}`));
    expect(resolver.invalidateSubject('dev@x')).toBe(1);
    await resolver.resolve(req(`Bearer ${other}`));
    expect(enriched()).toBe(3);
  });

  it('resolves API tokens and re-checks their IP restriction on every (cached) request', async () => {
    const { resolver, tokens, req } = await setup();
    const { token, record } = await tokens.issue({
      name: 't',
      ownerEmail: 'dev@x',
      teamId: 't1',
      scope: { serverIds: ['s1'], ipRestrictions: ['10.0.0.0/8'] },
    });
    const p = await resolver.resolve(req(`Bearer ${token}`, '10.0.0.7'));
    expect(p).toMatchObject({
      authMethod: 'api_token',
      tokenId: record.id,
      restrictions: { serverIds: ['s1'] },
    });
    const err = await failure(resolver.resolve(req(`Bearer ${token}`, '192.168.0.1')));
    expect([err.code, err.status]).toEqual(['IP_NOT_ALLOWED', 403]);
    await tokens.revoke(record.id);
    resolver.invalidateToken(record.id);
    expect((await failure(resolver.resolve(req(`Bearer ${token}`, '10.0.0.7')))).code).toBe('TOKEN_REVOKED');
  });

  it('answers 401 with a WWW-Authenticate challenge, and never falls back to anonymous on a bad credential', async () => {
    const { resolver, req } = await setup({ authRequired: false });
    const bad = await failure(resolver.resolve(req('Bearer a.b.c')));
    expect(bad.status).toBe(401);
    expect(bad.headers?.['WWW-Authenticate']).toBe(
      'Bearer resource_metadata="https://gw.example/.well-known/oauth-protected-resource", error="invalid_token", error_description="invalid token: malformed token"',
    );
    expect((await resolver.resolve(req())).authMethod).toBe('anonymous');
  });

  it('requires credentials when AUTH_REQUIRED', async () => {
    const { resolver, req } = await setup();
    const err = await failure(resolver.resolve(req()));
    expect([err.code, err.headers?.['WWW-Authenticate']]).toEqual([
      'UNAUTHENTICATED',
      'Bearer resource_metadata="https://gw.example/.well-known/oauth-protected-resource"',
    ]);
    // An unrecognised scheme is not a credential any strategy owns.
    expect((await failure(resolver.resolve(req('Digest xyz')))).code).toBe('UNAUTHENTICATED');
  });

  it('supports HTTP basic when configured, and refuses wrong passwords', async () => {
    const { resolver, req } = await setup();
    const good = `Basic ${Buffer.from('admin:changeme-please').toString('base64')}`;
    expect((await resolver.resolve(req(good))).isAdmin).toBe(true);
    const bad = `Basic ${Buffer.from('admin:nope').toString('base64')}`;
    expect((await failure(resolver.resolve(req(bad)))).code).toBe('INVALID_CREDENTIALS');
  });

  it('propagates enrich failures (deactivated users) and caches nothing for them', async () => {
    const { resolver, req } = await setup();
    const jwt = await createToken({ subject: 'disabled@x', secret: SECRET });
    expect((await failure(resolver.resolve(req(`Bearer ${jwt}`)))).message).toBe('user is disabled');
    expect(resolver.cacheSize).toBe(0);
  });
});
