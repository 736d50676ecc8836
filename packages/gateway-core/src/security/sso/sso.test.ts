import { startTestIdp, type TestIdp } from '@contextforge-internal/test-idp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isSecurityError } from '../errors.js';
import { JwksCache } from '../jwt/jwks-cache.js';
import { MemoryOAuthStateStore } from '../oauth/oauth-stores.js';
import { createSafeFetch } from '../ssrf/safe-fetch.js';
import { SsrfGuard } from '../ssrf/ssrf-guard.js';
import { createSsrfPolicy } from '../ssrf/ssrf-policy.js';
import { createSsoProvider } from './create-sso-provider.js';
import { mapSsoIdentity } from './group-mapping.js';
import { claimAt, type SsoIdentity } from './sso-identity.js';
import { SSO_PRESETS } from './sso-presets.js';

const fetch = createSafeFetch({ guard: new SsrfGuard(createSsrfPolicy({ allowLocalhost: true })) });
const REDIRECT = 'https://gateway.example/auth/sso/callback/keycloak';
let idp: TestIdp;

beforeAll(async () => {
  idp = await startTestIdp({
    issuerPath: '/realms/acme',
    users: [
      {
        sub: 'u-1',
        email: 'Alice@Example.com',
        name: 'Alice',
        groups: ['eng'],
        roles: ['mcp-admin'],
        login: 'alice',
        orgs: ['acme', 'oss'],
      },
      { sub: 'u-2', email: 'bob@example.com', name: 'Bob', groups: [], roles: [], login: 'bob', orgs: [] },
    ],
    clients: [
      { client_id: 'gateway', client_secret: 'gw-secret', redirect_uris: [REDIRECT] },
      {
        client_id: 'gh-app',
        client_secret: 'gh-secret',
        redirect_uris: ['https://gateway.example/auth/sso/callback/github'],
      },
    ],
  });
});
afterAll(() => idp.close());

function deps() {
  return { fetch, states: new MemoryOAuthStateStore(), jwks: new JwksCache({ cooldownMs: 0, fetch }) };
}

async function browse(url: string): Promise<{ state: string; code: string; iss?: string }> {
  const res = await fetch(url, { redirect: 'manual' });
  const q = new URL(res.headers.get('location')!).searchParams;
  expect(q.get('error')).toBeNull();
  return { state: q.get('state')!, code: q.get('code')!, ...(q.get('iss') ? { iss: q.get('iss')! } : {}) };
}

describe('OIDC login against the local test IdP (Keycloak preset)', () => {
  const config = () =>
    SSO_PRESETS.keycloak({
      baseUrl: idp.url,
      realm: 'acme',
      clientId: 'gateway',
      clientSecret: 'gw-secret',
      redirectUri: REDIRECT,
    });

  it('completes discovery, PKCE, state and nonce, verifies the ID token, and maps groups and roles', async () => {
    const provider = createSsoProvider(config(), deps());
    const { url } = await provider.startLogin({ returnTo: '/admin' });
    const q = new URL(url).searchParams;
    expect([q.get('code_challenge_method'), q.get('scope')]).toEqual(['S256', 'openid email profile']);
    expect(q.get('nonce')).toHaveLength(43);
    const { identity, returnTo } = await provider.finishLogin(await browse(url));
    expect(returnTo).toBe('/admin');
    expect(identity).toMatchObject({
      provider: 'keycloak',
      subject: 'u-1',
      email: 'alice@example.com',
      name: 'Alice',
      groups: ['eng'],
      roles: ['mcp-admin'],
    });
  });

  it('picks up a rotated signing key, and logs in the hinted user', async () => {
    const provider = createSsoProvider(config(), deps());
    await provider.finishLogin(await browse((await provider.startLogin()).url));
    await idp.rotateKeys({ keepOld: false });
    const { identity } = await provider.finishLogin(
      await browse((await provider.startLogin({ loginHint: 'bob@example.com' })).url),
    );
    expect(identity.email).toBe('bob@example.com');
  });

  it('refuses replayed or foreign states and a wrong iss', async () => {
    const d = deps();
    const provider = createSsoProvider(config(), d);
    const cb = await browse((await provider.startLogin()).url);
    await provider.finishLogin(cb);
    const replay = await provider.finishLogin(cb).catch((e: unknown) => e);
    expect(isSecurityError(replay) && [replay.code, replay.status]).toEqual(['OAUTH_INVALID_STATE', 400]);
    const cb2 = await browse((await provider.startLogin()).url);
    const mixup = await provider
      .finishLogin({ ...cb2, iss: 'https://evil.example' })
      .catch((e: unknown) => e);
    expect(isSecurityError(mixup) && mixup.code).toBe('OAUTH_INVALID_STATE');
  });

  it.each([
    ['audience', { idTokenAudience: 'someone-else' }, /id_token verification failed .*aud/],
    ['nonce', { idTokenNonce: 'replayed-nonce' }, /nonce does not match/],
  ] as const)('refuses an ID token with the wrong %s as OIDC_FAILED (401)', async (_what, fault, message) => {
    const provider = createSsoProvider(config(), deps());
    const cb = await browse((await provider.startLogin()).url);
    Object.assign(idp.misbehave, fault);
    try {
      const err = await provider.finishLogin(cb).catch((e: unknown) => e);
      expect(isSecurityError(err) && [err.code, err.status]).toEqual(['OIDC_FAILED', 401]);
      expect((err as Error).message).toMatch(message);
    } finally {
      for (const k of Object.keys(fault)) delete (idp.misbehave as Record<string, unknown>)[k];
    }
  });
});

describe('GitHub login against the test IdP GitHub emulation', () => {
  it('exchanges the code and reads the primary verified email and organisations', async () => {
    const cfg = SSO_PRESETS.github({
      clientId: 'gh-app',
      clientSecret: 'gh-secret',
      redirectUri: 'https://gateway.example/auth/sso/callback/github',
      webUrl: `${idp.url}/github`,
      apiUrl: `${idp.url}/github/api`,
    });
    const provider = createSsoProvider(cfg, deps());
    const { url } = await provider.startLogin({ loginHint: 'alice' });
    expect(new URL(url).searchParams.get('scope')).toBe('read:user user:email read:org');
    const { identity } = await provider.finishLogin(await browse(url));
    expect(identity).toMatchObject({
      provider: 'github',
      subject: '1',
      email: 'alice@example.com',
      groups: ['acme', 'oss'],
    });
  });
});

describe('presets and mapping', () => {
  it('builds issuer URLs and claim locations per provider', () => {
    const s = { clientId: 'cid', redirectUri: 'https://gw/cb' };
    expect(SSO_PRESETS.entra({ ...s, tenantId: 'contoso.onmicrosoft.com' })).toMatchObject({
      issuer: 'https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0',
      groupsClaims: ['groups'],
      rolesClaims: ['roles'],
    });
    expect(SSO_PRESETS.okta({ ...s, domain: 'https://acme.okta.com/' }).issuer).toBe(
      'https://acme.okta.com/oauth2/default',
    );
    expect(SSO_PRESETS.okta({ ...s, domain: 'acme.okta.com', authorizationServerId: null }).issuer).toBe(
      'https://acme.okta.com',
    );
    expect(SSO_PRESETS.google(s).issuer).toBe('https://accounts.google.com');
    expect(SSO_PRESETS.keycloak({ ...s, baseUrl: 'https://kc/', realm: 'r' }).rolesClaims).toEqual([
      'realm_access.roles',
      'resource_access.cid.roles',
    ]);
    expect(() => SSO_PRESETS.entra({ ...s, tenantId: '../x' })).toThrow(/SSO_ENTRA_TENANT_ID/);
    expect(claimAt({ 'https://x/groups': ['a'] }, 'https://x/groups')).toEqual(['a']);
  });

  it('maps groups, roles and verified domains to teams and roles, strongest team role winning', () => {
    const identity: SsoIdentity = {
      provider: 'keycloak',
      subject: 's',
      email: 'alice@acme.com',
      emailVerified: true,
      groups: ['eng', 'ops'],
      roles: ['mcp-admin'],
      claims: {},
    };
    const rules = [
      { group: 'eng', teamId: 't-eng', teamRole: 'developer' },
      { group: 'ops', teamId: 't-eng', teamRole: 'viewer' },
      { group: 'ops', teamId: 't-ops', teamRole: 'team_admin' },
      { role: 'mcp-admin', admin: true },
      { emailDomain: 'ACME.com', globalRole: 'platform_viewer' },
      { group: 'finance', teamId: 't-fin' },
      { teamId: 't-nothing' },
    ];
    expect(mapSsoIdentity(identity, rules)).toEqual({
      isAdmin: true,
      globalRoles: ['platform_viewer'],
      teams: [
        { teamId: 't-eng', role: 'developer' },
        { teamId: 't-ops', role: 'team_admin' },
      ],
    });
    expect(mapSsoIdentity({ ...identity, emailVerified: false, roles: [] }, rules).globalRoles).toEqual([]);
  });
});
