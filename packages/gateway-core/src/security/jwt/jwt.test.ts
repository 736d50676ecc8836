import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/helpers/http-server.js';
import { isSecurityError, type SecurityError } from '../errors.js';
import { createToken } from './create-token.js';
import { decodeToken } from './decode-token.js';
import { JwksCache } from './jwks-cache.js';
import { JwtVerifier } from './jwt-verifier.js';
import { MemoryTokenRevocationStore } from './revocation-store.js';
import { restrictionsFromClaims, teamScopeFromClaims } from './team-claims.js';

const SECRET = 'a-test-secret-that-is-at-least-32-bytes-long';

async function failure(p: Promise<unknown>): Promise<SecurityError> {
  try {
    await p;
  } catch (err) {
    if (isSecurityError(err)) return err;
    throw err;
  }
  throw new Error('expected a SecurityError');
}

describe('JwtVerifier with HS256', () => {
  const revocation = new MemoryTokenRevocationStore();
  let verifier: JwtVerifier;
  beforeAll(async () => {
    verifier = await JwtVerifier.create({
      secret: SECRET,
      issuer: 'mcpgateway',
      audience: 'mcpgateway-api',
      revocation,
    });
  });

  it('accepts a token from createToken and exposes subject, jti and expiry', async () => {
    const token = await createToken({
      subject: 'alice@example.com',
      secret: SECRET,
      expiresInMinutes: 5,
      teams: ['t1'],
    });
    const v = await verifier.verify(token);
    expect(v.subject).toBe('alice@example.com');
    expect(v.jti).toMatch(/^[0-9a-f-]{36}$/);
    expect(v.expiresAt! - Date.now()).toBeGreaterThan(4 * 60_000);
    expect(v.payload.teams).toEqual(['t1']);
  });

  it('rejects expired, forged, wrong-audience, wrong-issuer and not-yet-valid tokens with distinct reasons', async () => {
    const past = () => Date.now() - 3_600_000;
    const expired = await createToken({ subject: 'a@x', secret: SECRET, expiresInMinutes: 1, now: past });
    expect((await failure(verifier.verify(expired))).code).toBe('TOKEN_EXPIRED');

    const forged = await createToken({
      subject: 'a@x',
      secret: 'another-secret-of-sufficient-length!!',
      expiresInMinutes: 5,
    });
    const f = await failure(verifier.verify(forged));
    expect([f.code, f.status, f.details?.reason]).toEqual(['TOKEN_INVALID', 401, 'signature']);

    const aud = await createToken({ subject: 'a@x', secret: SECRET, audience: 'someone-else' });
    expect((await failure(verifier.verify(aud))).details?.reason).toBe('claim-aud');

    const iss = await createToken({ subject: 'a@x', secret: SECRET, issuer: 'evil' });
    expect((await failure(verifier.verify(iss))).details?.reason).toBe('claim-iss');

    const nbf = await new SignJWT({ nbf: Math.floor(Date.now() / 1000) + 600 })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('a@x')
      .setJti('j')
      .setIssuer('mcpgateway')
      .setAudience('mcpgateway-api')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(SECRET));
    expect((await failure(verifier.verify(nbf))).details?.reason).toBe('claim-nbf');
  });

  it('tolerates clock skew within clockToleranceSec', async () => {
    const justExpired = await createToken({
      subject: 'a@x',
      secret: SECRET,
      expiresInMinutes: 1,
      now: () => Date.now() - 70_000,
    });
    await expect(verifier.verify(justExpired)).resolves.toBeTruthy();
  });

  it('enforces REQUIRE_JTI and REQUIRE_TOKEN_EXPIRATION, and can relax them', async () => {
    const key = new TextEncoder().encode(SECRET);
    const base = () =>
      new SignJWT({})
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('a@x')
        .setIssuer('mcpgateway')
        .setAudience('mcpgateway-api');
    const noJti = await base().setExpirationTime('1h').sign(key);
    const noExp = await base().setJti('x').sign(key);
    expect((await failure(verifier.verify(noJti))).details?.reason).toBe('missing-jti');
    expect((await failure(verifier.verify(noExp))).details?.reason).toBe('missing-exp');
    const lax = await JwtVerifier.create({ secret: SECRET, requireJti: false, requireExpiration: false });
    await expect(lax.verify(noJti)).resolves.toMatchObject({ subject: 'a@x' });
    await expect(lax.verify(noExp)).resolves.toMatchObject({ subject: 'a@x' });
  });

  it('rejects revoked tokens by jti', async () => {
    const jti = randomUUID();
    const token = await createToken({ subject: 'a@x', secret: SECRET, jti });
    await expect(verifier.verify(token)).resolves.toBeTruthy();
    await revocation.revoke({ jti, expiresAt: Date.now() + 60_000, revokedBy: 'admin@x' });
    const err = await failure(verifier.verify(token));
    expect([err.code, err.status]).toEqual(['TOKEN_REVOKED', 401]);
  });

  it('rejects alg none and garbage as malformed/invalid, never crashing', async () => {
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"sub":"a"}').toString('base64url')}.`;
    expect((await failure(verifier.verify(none))).code).toBe('TOKEN_INVALID');
    for (const junk of ['', 'abc', 'a.b.c', '....', 'x'.repeat(10_000)]) {
      expect((await failure(verifier.verify(junk))).code).toBe('TOKEN_INVALID');
    }
  });
});

describe('JwtVerifier with asymmetric keys', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cf-jwt-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('verifies RS256 with JWT_PUBLIC_KEY_PATH/JWT_PRIVATE_KEY_PATH files', async () => {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pub = join(dir, 'pub.pem');
    const priv = join(dir, 'priv.pem');
    writeFileSync(pub, publicKey.export({ type: 'spki', format: 'pem' }));
    writeFileSync(priv, privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const token = await createToken({ subject: 'r@x', algorithm: 'RS256', privateKeyPath: priv });
    const v = await JwtVerifier.create({ algorithms: ['RS256'], publicKeyPath: pub });
    expect((await v.verify(token)).subject).toBe('r@x');
  });

  it('refuses an HS256 token signed with the public key as secret (algorithm confusion)', async () => {
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const v = await JwtVerifier.create({ algorithms: ['RS256'], publicKey: pem });
    const confused = await createToken({ subject: 'a@x', secret: pem });
    expect((await failure(v.verify(confused))).details?.reason).toBe('algorithm');
  });

  it('reports unreadable key files and missing secrets as CONFIG_INVALID naming the setting', async () => {
    const e1 = await failure(
      JwtVerifier.create({ algorithms: ['RS256'], publicKeyPath: join(dir, 'missing.pem') }),
    );
    expect([e1.code, e1.field]).toEqual(['CONFIG_INVALID', 'JWT_PUBLIC_KEY_PATH']);
    const e2 = await failure(JwtVerifier.create({}));
    expect(e2.field).toBe('JWT_SECRET_KEY');
    const e3 = await failure(JwtVerifier.create({ algorithms: ['HS256', 'RS256'], secret: SECRET }));
    expect(e3.message).toMatch(/cannot be mixed/);
  });
});

describe('JwtVerifier with a JWKS URL', () => {
  let server: TestServer;
  type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
  let keys: Array<{ kid: string; privateKey: PrivateKey; jwk: Record<string, unknown> }> = [];
  let fetches = 0;
  let fail = false;

  async function newKey(kid: string) {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' } };
  }
  const sign = (k: { kid: string; privateKey: PrivateKey }) =>
    new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid: k.kid })
      .setSubject('e@x')
      .setJti(randomUUID())
      .setExpirationTime('5m')
      .sign(k.privateKey);

  beforeAll(async () => {
    keys = [await newKey('k1')];
    server = await startServer((_req, res) => {
      fetches++;
      if (fail) {
        res.statusCode = 500;
        res.end('down');
        return;
      }
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: keys.map((k) => k.jwk) }));
    });
  });
  afterAll(() => server.close());

  it('verifies ES256 tokens, caches the set and picks up a rotated key on an unknown kid', async () => {
    const jwks = new JwksCache({ cooldownMs: 0 });
    const v = await JwtVerifier.create({ algorithms: ['ES256'], jwksUrl: `${server.url}/jwks`, jwks });
    fetches = 0;
    await v.verify(await sign(keys[0]!));
    await v.verify(await sign(keys[0]!));
    expect(fetches).toBe(1);
    const k2 = await newKey('k2');
    keys = [keys[0]!, k2];
    expect((await v.verify(await sign(k2))).subject).toBe('e@x');
    expect(fetches).toBe(2);
    const stranger = await newKey('k3');
    expect((await failure(v.verify(await sign(stranger)))).details?.reason).toBe('unknown-key');
  });

  it('maps an unreachable JWKS to KEY_UNAVAILABLE (503), not to an invalid token', async () => {
    fail = true;
    try {
      const v = await JwtVerifier.create({
        algorithms: ['ES256'],
        jwksUrl: `${server.url}/other`,
        jwks: new JwksCache(),
      });
      const err = await failure(v.verify(await sign(keys[0]!)));
      expect([err.code, err.status]).toEqual(['KEY_UNAVAILABLE', 503]);
    } finally {
      fail = false;
    }
  });

  it('bounds the number of cached JWKS URLs', () => {
    const jwks = new JwksCache({ maxEntries: 2 });
    const a = jwks.get('https://a.example/jwks');
    jwks.get('https://b.example/jwks');
    jwks.get('https://a.example/jwks');
    jwks.get('https://c.example/jwks');
    expect(jwks.size).toBe(2);
    expect(jwks.get('https://a.example/jwks')).toBe(a);
    expect(() => jwks.get('ftp://x/')).toThrow(/jwks_uri/);
  });
});

describe('ContextForge claim semantics', () => {
  it('maps the teams claim: missing/[] public-only, null+admin bypass, null alone public-only, list → teams', () => {
    expect(teamScopeFromClaims({})).toEqual({ kind: 'public-only' });
    expect(teamScopeFromClaims({ teams: [] })).toEqual({ kind: 'public-only' });
    expect(teamScopeFromClaims({ teams: null, is_admin: true })).toEqual({ kind: 'admin-bypass' });
    expect(teamScopeFromClaims({ teams: null, user: { is_admin: true } })).toEqual({ kind: 'admin-bypass' });
    expect(teamScopeFromClaims({ teams: null })).toEqual({ kind: 'public-only' });
    expect(teamScopeFromClaims({ teams: ['a', { id: 'b', name: 'B' }, 7] })).toEqual({
      kind: 'teams',
      teamIds: ['a', 'b'],
    });
    expect(teamScopeFromClaims({ teams: 'a' })).toEqual({ kind: 'public-only' });
  });

  it('reads scopes into restrictions', () => {
    expect(restrictionsFromClaims({})).toBeUndefined();
    expect(restrictionsFromClaims({ scopes: { server_id: 's1', permissions: ['tools.read'] } })).toEqual({
      serverIds: ['s1'],
      permissions: ['tools.read'],
    });
    expect(restrictionsFromClaims({ scopes: { server_id: null, permissions: [] } })).toBeUndefined();
  });
});

describe('createToken / decodeToken', () => {
  it('writes ContextForge claims and decodes them without a key', async () => {
    const token = await createToken({
      subject: 'admin@example.com',
      secret: SECRET,
      expiresInMinutes: 60,
      isAdmin: true,
      teams: null,
      scopes: { server_id: 's1', permissions: ['*'] },
      data: { full_name: 'Admin' },
      now: () => 1_700_000_000_000,
    });
    const d = decodeToken(token, 1_700_000_000_000);
    expect(d.header).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(d.payload).toMatchObject({
      sub: 'admin@example.com',
      iss: 'mcpgateway',
      aud: 'mcpgateway-api',
      is_admin: true,
      teams: null,
      full_name: 'Admin',
      iat: 1_700_000_000,
      exp: 1_700_003_600,
    });
    expect(d.expired).toBe(false);
    expect(decodeToken(token, 1_800_000_000_000).expired).toBe(true);
  });

  it('refuses tokens without expiry unless allowed, and reserved claims in data', async () => {
    await expect(createToken({ subject: 'a', secret: SECRET, expiresInMinutes: 0 })).rejects.toThrow(
      /REQUIRE_TOKEN_EXPIRATION/,
    );
    const t = await createToken({
      subject: 'a',
      secret: SECRET,
      expiresInMinutes: 0,
      requireExpiration: false,
    });
    expect(decodeToken(t).payload.exp).toBeUndefined();
    await expect(createToken({ subject: 'a', secret: SECRET, data: { sub: 'b' } })).rejects.toThrow(
      /claim 'sub'/,
    );
  });

  it('reports non-JWT text as TOKEN_INVALID', () => {
    expect(() => decodeToken('not-a-jwt')).toThrow(/not a JWT/);
  });
});
