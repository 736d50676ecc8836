// Authentication through the real gateway: forged, expired, wrong-audience, wrong-issuer, algorithm-none,
// jti-less and revoked JWTs; login sessions (refresh, logout, password change ends sessions); lockout;
// API tokens (shown once, revoked everywhere at once, IP-restricted over a real socket, never above their
// owner); and AUTH_REQUIRED=false serving public entities only. Every refusal is a clear 4xx.
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/http/serve-app.js';
import { createToken } from '../../src/security/jwt/create-token.js';
import { TEST_ADMIN_PASSWORD, type TestGateway, testGateway } from '../gateway-helpers.js';

const SECRET = 'authn-test-jwt-secret-authn-test-jwt-secret';
let t: TestGateway;
let server: RunningServer;
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const errorCode = (r: { body: { error?: { code?: string } } }) => r.body.error?.code;

beforeAll(async () => {
  t = await testGateway('sqlite', {
    JWT_SECRET_KEY: SECRET,
    MAX_FAILED_LOGIN_ATTEMPTS: '3',
    AUTH_CACHE_USER_TTL: '30',
  });
  await t.call('POST', '/v1/auth/email/admin/users', {
    email: 'alice@example.com',
    password: 'Some-Passw0rd-1!',
  });
  server = await t.gw.listen(0, '127.0.0.1');
});
afterAll(() => t.close());

describe('JWT bearer tokens', () => {
  const sign = (o: Partial<Parameters<typeof createToken>[0]> = {}) =>
    createToken({ subject: 'alice@example.com', secret: SECRET, expiresInMinutes: 5, ...o });

  it('accepts a token signed with the gateway key, for the gateway audience and issuer', async () => {
    const r = await t.call('GET', '/v1/auth/email/me', undefined, bearer(await sign()));
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ email: 'alice@example.com', is_admin: false });
  });

  it.each([
    [
      'forged (another key)',
      () => sign({ secret: 'an-attacker-secret-an-attacker-secret-00' }),
      'TOKEN_INVALID',
    ],
    ['expired', () => sign({ now: () => Date.now() - 3_600_000, expiresInMinutes: 1 }), 'TOKEN_EXPIRED'],
    ['for another audience', () => sign({ audience: 'some-other-api' }), 'TOKEN_INVALID'],
    ['from another issuer', () => sign({ issuer: 'https://evil.example' }), 'TOKEN_INVALID'],
    [
      'unsigned (alg none)',
      async () =>
        `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: 'alice@example.com', exp: 9e9, jti: 'x', aud: 'mcpgateway-api', iss: 'mcpgateway' })).toString('base64url')}.`,
      'TOKEN_INVALID',
    ],
    [
      'without a jti',
      async () =>
        new SignJWT({ sub: 'alice@example.com' })
          .setProtectedHeader({ alg: 'HS256' })
          .setIssuer('mcpgateway')
          .setAudience('mcpgateway-api')
          .setExpirationTime('5m')
          .sign(new TextEncoder().encode(SECRET)),
      'TOKEN_INVALID',
    ],
    [
      'garbage',
      async () => 'garbage-garbage-garbage.garbage-garbage-garbage.garbage-garbage-garbage',
      'TOKEN_INVALID',
    ],
  ])('refuses a %s token with 401 %s and a challenge, never echoing it', async (_name, make, code) => {
    const token = await make();
    const r = await t.call('GET', '/v1/tools', undefined, bearer(token));
    expect(r.status).toBe(401);
    expect(errorCode(r)).toBe(code);
    expect(r.headers.get('www-authenticate')).toMatch(
      /^Bearer resource_metadata="[^"]+", scope="mcp:read", error="invalid_token"/,
    );
    expect(JSON.stringify(r.body)).not.toContain(token.slice(10, 40));
  });

  it('refuses a bad token even on a route that would serve an anonymous caller', async () => {
    const r = await t.call('GET', '/health', undefined, bearer('a.b.c'));
    expect(r.status).toBe(200); // public routes ignore credentials
    const me = await t.call('GET', '/v1/auth/email/me', undefined, bearer('a.b.c'));
    expect(me.status).toBe(401);
  });

  it('revokes a JWT by jti: refused at once, also while it is cached', async () => {
    const token = await sign({ jti: 'revoke-me' });
    expect((await t.call('GET', '/v1/tools', undefined, bearer(token))).status).toBe(200);
    await t.gw.auth!.revokeCredential(token, 'admin@example.com');
    const r = await t.call('GET', '/v1/tools', undefined, bearer(token));
    expect(r.status).toBe(401);
    expect(errorCode(r)).toBe('TOKEN_REVOKED');
  });

  it('limits a token to the servers and permissions of its scopes claim', async () => {
    const scoped = await sign({ isAdmin: true, teams: null, scopes: { permissions: ['tools.read'] } });
    expect((await t.call('GET', '/v1/tools', undefined, bearer(scoped))).status).toBe(200);
    const denied = await t.call(
      'POST',
      '/v1/tools',
      { name: 'x', url: 'https://api.example.com' },
      bearer(scoped),
    );
    expect(denied.status).toBe(403);
    expect(errorCode(denied)).toBe('SCOPE_DENIED');
  });
});

describe('login sessions', () => {
  const login = (email: string, password: string, headers: Record<string, string> = {}) =>
    t.call('POST', '/v1/auth/login', { email, password }, { authorization: '', ...headers });

  it('signs in, sets an HttpOnly session cookie and a CSRF cookie, refreshes and logs out', async () => {
    const r = await login('alice@example.com', 'Some-Passw0rd-1!');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      token_type: 'bearer',
      expires_in: 1200,
      user: { email: 'alice@example.com' },
    });
    const cookies = r.headers.getSetCookie().join('\n');
    expect(cookies).toMatch(/jwt_token=[^;]+;.*HttpOnly/);
    expect(cookies).toMatch(/mcpgateway_csrf_token=/);
    const token = r.body.access_token as string;
    const refreshed = await t.call('POST', '/v1/auth/refresh', undefined, bearer(token));
    expect(refreshed.status).toBe(200);
    // The refreshed-away token is revoked; the new one works until logout.
    expect((await t.call('GET', '/v1/auth/email/me', undefined, bearer(token))).status).toBe(401);
    const fresh = refreshed.body.access_token as string;
    expect((await t.call('POST', '/v1/auth/logout', undefined, bearer(fresh))).status).toBe(200);
    expect((await t.call('GET', '/v1/auth/email/me', undefined, bearer(fresh))).status).toBe(401);
  });

  it('answers a wrong password and an unknown account identically, and locks after repeated failures', async () => {
    await t.call('POST', '/v1/auth/email/admin/users', {
      email: 'bob@example.com',
      password: 'Some-Passw0rd-3!',
    });
    const unknown = await login('nobody@example.com', 'whatever');
    const wrong = await login('bob@example.com', 'wrong-password');
    expect([unknown.status, wrong.status]).toEqual([401, 401]);
    expect(unknown.body).toEqual(wrong.body);
    await login('bob@example.com', 'wrong-password');
    const locked = await login('bob@example.com', 'wrong-password');
    expect(locked.status).toBe(401);
    expect(errorCode(locked)).toBe('ACCOUNT_LOCKED');
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(60);
    // Even the right password is refused while locked.
    expect(errorCode(await login('bob@example.com', 'Some-Passw0rd-3!'))).toBe('ACCOUNT_LOCKED');
    expect((await t.call('POST', '/v1/auth/email/admin/users/bob@example.com/unlock')).status).toBe(200);
    expect((await login('bob@example.com', 'Some-Passw0rd-3!')).status).toBe(200);
  });

  it('refuses disabled accounts and ends sessions when the password changes', async () => {
    const session = (await login('alice@example.com', 'Some-Passw0rd-1!')).body.access_token as string;
    const changed = await t.call(
      'POST',
      '/v1/auth/email/change-password',
      { old_password: 'Some-Passw0rd-1!', new_password: 'Other-Passw0rd-2!' },
      bearer(session),
    );
    expect(changed.status).toBe(200);
    await new Promise((r) => setTimeout(r, 1100)); // a session opened in the same second would still pass
    expect((await t.call('GET', '/v1/auth/email/me', undefined, bearer(session))).status).toBe(401);
    const again = (await login('alice@example.com', 'Other-Passw0rd-2!')).body.access_token as string;
    expect(
      (await t.call('PUT', '/v1/auth/email/admin/users/alice@example.com', { is_active: false })).status,
    ).toBe(200);
    expect((await t.call('GET', '/v1/auth/email/me', undefined, bearer(again))).status).toBe(401);
    expect(errorCode(await login('alice@example.com', 'Other-Passw0rd-2!'))).toBe('INVALID_CREDENTIALS');
    await t.call('PUT', '/v1/auth/email/admin/users/alice@example.com', { is_active: true });
  });

  it('protects the last administrator and an administrator’s own rights', async () => {
    const self = await t.call('PUT', '/v1/auth/email/admin/users/admin@example.com', { is_admin: false });
    expect(self.status).toBe(403);
    expect((await t.call('DELETE', '/v1/auth/email/admin/users/admin@example.com')).status).toBe(403);
    expect((await t.call('DELETE', '/v1/rbac/users/admin@example.com/roles/platform_admin')).status).toBe(
      403,
    );
    await t.call('POST', '/v1/auth/email/admin/users', {
      email: 'second@example.com',
      password: 'Some-Passw0rd-4!',
      is_admin: true,
    });
    const second = await t.gw.auth!.mintToken({ subject: 'second@example.com', session: true });
    // The second admin may demote the first; then nobody may demote the second, the last one.
    expect(
      (
        await t.call(
          'PUT',
          '/v1/auth/email/admin/users/admin@example.com',
          { is_admin: false },
          bearer(second),
        )
      ).status,
    ).toBe(200);
    const last = await t.call(
      'PUT',
      '/v1/auth/email/admin/users/second@example.com',
      { is_active: false },
      bearer(second),
    );
    expect(last.status).toBe(403);
    expect(
      (
        await t.call(
          'PUT',
          '/v1/auth/email/admin/users/admin@example.com',
          { is_admin: true },
          bearer(second),
        )
      ).status,
    ).toBe(200);
  });

  it('applies the password policy to new passwords with a 422 naming the rules', async () => {
    const r = await t.call('POST', '/v1/auth/email/admin/users', {
      email: 'weak@example.com',
      password: 'password',
    });
    expect(r.status).toBe(422);
    expect(r.body.error).toMatchObject({ code: 'PASSWORD_POLICY', field: 'password' });
    expect(r.body.error.message).toContain('an uppercase letter');
  });
});

describe('API tokens', () => {
  let alice: string;
  beforeAll(async () => {
    alice = await t.gw.auth!.mintToken({ subject: 'alice@example.com', session: true });
  });

  it('are shown once, listed without the secret, usable, and revoked at once', async () => {
    const created = await t.call(
      'POST',
      '/v1/tokens',
      { name: 'ci', expires_in_days: 7, scope: { permissions: ['tools.read'] } },
      bearer(alice),
    );
    expect(created.status).toBe(201);
    const token = created.body.access_token as string;
    expect(token).toMatch(/^cfk_/);
    const listed = await t.call('GET', '/v1/tokens', undefined, bearer(alice));
    expect(JSON.stringify(listed.body)).not.toContain(token);
    expect(listed.body.tokens[0]).toMatchObject({
      name: 'ci',
      resource_scopes: ['tools.read'],
      is_active: true,
    });
    expect((await t.call('GET', '/v1/tools', undefined, bearer(token))).status).toBe(200);
    expect((await t.call('POST', '/v1/tokens', { name: 'child' }, bearer(token))).status).toBe(403);
    expect(
      (await t.call('DELETE', `/v1/tokens/${created.body.token.id}`, undefined, bearer(alice))).status,
    ).toBe(200);
    const r = await t.call('GET', '/v1/tools', undefined, bearer(token));
    expect(r.status).toBe(401);
    expect(errorCode(r)).toBe('TOKEN_REVOKED');
  });

  it('never carry a permission their owner lacks, nor a team they are not in', async () => {
    const perm = await t.call(
      'POST',
      '/v1/tokens',
      { name: 'greedy', scope: { permissions: ['admin.user_management'] } },
      bearer(alice),
    );
    expect(perm.status).toBe(403);
    expect(perm.body.error.field).toBe('scope.permissions.0');
    const team = await t.call(
      'POST',
      '/v1/tokens',
      { name: 'other-team', team_id: 'not-my-team' },
      bearer(alice),
    );
    expect(team.status).toBe(403);
    expect(team.body.error.field).toBe('team_id');
  });

  it('enforce IP restrictions on every request, against the real client address', async () => {
    const inside = (
      await t.call(
        'POST',
        '/v1/tokens',
        { name: 'loopback', scope: { ip_restrictions: ['127.0.0.0/8'] } },
        bearer(alice),
      )
    ).body.access_token;
    const outside = (
      await t.call(
        'POST',
        '/v1/tokens',
        { name: 'office', scope: { ip_restrictions: ['10.0.0.0/8'] } },
        bearer(alice),
      )
    ).body.access_token;
    const get = (token: string) => fetch(`${server.url}/v1/auth/email/me`, { headers: bearer(token) });
    expect((await get(inside)).status).toBe(200);
    const refused = await get(outside);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('IP_NOT_ALLOWED');
    // In-process requests have no client address: an IP-restricted token fails closed.
    expect((await t.call('GET', '/v1/auth/email/me', undefined, bearer(inside))).status).toBe(403);
  });
});

describe('AUTH_REQUIRED=false (local development)', () => {
  it('serves anonymous callers public entities only, read and use only', async () => {
    const dev = await testGateway('sqlite', { AUTH_REQUIRED: 'false' });
    try {
      await dev.call('POST', '/v1/tools', {
        name: 'open_tool',
        url: 'https://api.example.com/o',
        visibility: 'public',
      });
      await dev.call('POST', '/v1/tools', {
        name: 'team_tool',
        url: 'https://api.example.com/t',
        visibility: 'team',
      });
      await dev.call('POST', '/v1/tools', {
        name: 'own_tool',
        url: 'https://api.example.com/p',
        visibility: 'private',
      });
      const anon = { authorization: '' };
      const list = await dev.call('GET', '/v1/tools', undefined, anon);
      expect(list.status).toBe(200);
      expect(list.body.map((x: { name: string }) => x.name)).toEqual(['open_tool']);
      const write = await dev.call(
        'POST',
        '/v1/tools',
        { name: 'x', url: 'https://api.example.com/x' },
        anon,
      );
      expect(write.status).toBe(401);
      expect(write.body.error.message).toContain("authentication required for 'tools.create'");
      expect((await dev.call('GET', '/v1/auth/email/admin/users', undefined, anon)).status).toBe(401);
      // Credentials still work as usual.
      expect((await dev.call('GET', '/v1/tools')).body).toHaveLength(3);
    } finally {
      await dev.close();
    }
  });
});

describe('the bootstrap administrator', () => {
  it('signs in with PLATFORM_ADMIN_PASSWORD and sees everything', async () => {
    const r = await t.call(
      'POST',
      '/v1/auth/login',
      { email: 'admin@example.com', password: TEST_ADMIN_PASSWORD },
      { authorization: '' },
    );
    expect(r.status).toBe(200);
    expect(r.body.user).toMatchObject({ is_admin: true });
  });
});
