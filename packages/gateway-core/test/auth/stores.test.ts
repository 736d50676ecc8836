// The security layer's stores on SQLite, PostgreSQL and MariaDB: every store interface of src/security
// implemented over the 0002 tables, with the properties INTEGRATION.md asks for (one-time states, atomic
// failure counting, encryption at rest, batching), each checked against a real database.
import { describeWithServices } from '@contextforge-internal/test-support';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DbApiTokenStore } from '../../src/auth/stores/db-api-token-store.js';
import { DbAuditSink } from '../../src/auth/stores/db-audit-sink.js';
import { DbLoginFailureStore } from '../../src/auth/stores/db-login-failure-store.js';
import { DbOAuthStateStore, DbOAuthTokenStore } from '../../src/auth/stores/db-oauth-stores.js';
import { DbTokenRevocationStore } from '../../src/auth/stores/db-revocation-store.js';
import { KeyStore } from '../../src/auth/stores/key-store.js';
import { OAuthClientStore } from '../../src/auth/stores/oauth-client-store.js';
import { RoleStore } from '../../src/auth/stores/role-store.js';
import { SsoStore } from '../../src/auth/stores/sso-store.js';
import type { StoreContext } from '../../src/auth/stores/store-context.js';
import { TeamStore } from '../../src/auth/stores/team-store.js';
import { UserStore } from '../../src/auth/stores/user-store.js';
import { SecretBox } from '../../src/crypto/secret-box.js';
import { connectDatabase, type GatewayDatabase } from '../../src/db/connect-database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { ApiTokenHasher } from '../../src/security/api-tokens/api-token-hasher.js';
import { ApiTokenService } from '../../src/security/api-tokens/api-token-service.js';
import { auditEvent } from '../../src/security/audit/audit-event.js';
import { BUILTIN_ROLES } from '../../src/security/rbac/builtin-roles.js';
import { type ScratchDatabase, scratchDatabase } from '../db-helpers.js';

const NOW = Date.parse('2030-01-01T00:00:00.000Z');

function storeSuite(kind: 'sqlite' | 'postgres' | 'mysql') {
  let scratch: ScratchDatabase;
  let gdb: GatewayDatabase;
  let ctx: StoreContext;

  beforeAll(async () => {
    scratch = await scratchDatabase(kind);
    gdb = await connectDatabase({ url: scratch.url, poolSize: 4, maxRetries: 0, retryIntervalMs: 0 });
    await migrateToLatest(gdb.db, kind);
    ctx = { db: gdb.db, kind, box: new SecretBox('stores-test-secret-stores-test-secret-0') };
    await new UserStore(ctx).insert({
      email: 'owner@example.com',
      password_hash: null,
      full_name: 'Owner',
      is_admin: 0,
      is_active: 1,
      auth_provider: 'local',
      email_verified_at: null,
      password_change_required: 0,
      password_changed_at: null,
      last_login_at: null,
      created_at: new Date(NOW).toISOString(),
      updated_at: new Date(NOW).toISOString(),
    });
    await sql`insert into gateways (id, slug, tags, visibility, enabled, created_at, updated_at, version, name,
      transport, args, headers, capabilities, reachable, consecutive_failures)
      values ('gw1', 'gw1', '[]', 'public', 1, '2030', '2030', 1, 'gw1', 'SSE', '[]', '{}', '{}', 0, 0)`.execute(
      gdb.db,
    );
  });
  afterAll(async () => {
    await gdb?.close();
    await scratch?.drop();
  });

  it('API tokens: issue, find by hash, unique live names, revoke frees the name, batched last-used', async () => {
    const store = new DbApiTokenStore(ctx);
    const service = new ApiTokenService({ store, hasher: new ApiTokenHasher(new Uint8Array(32).fill(7)) });
    const { token, record } = await service.issue({
      name: 'ci',
      ownerEmail: 'owner@example.com',
      scope: { serverIds: ['s1'], permissions: ['tools.read'], ipRestrictions: ['10.0.0.0/8'] },
      expiresInDays: 30,
    });
    const verified = await service.verify(token, '10.1.2.3');
    expect(verified).toMatchObject({ id: record.id, ownerEmail: 'owner@example.com' });
    expect(verified.scope).toEqual({
      serverIds: ['s1'],
      permissions: ['tools.read'],
      ipRestrictions: ['10.0.0.0/8'],
    });
    await expect(service.issue({ name: 'ci', ownerEmail: 'owner@example.com' })).rejects.toMatchObject({
      code: expect.stringMatching(/SQLITE_CONSTRAINT_UNIQUE|23505|ER_DUP_ENTRY/),
    });
    expect(await store.revokeWithReason(record.id, NOW, 'admin@example.com', 'leaked')).toBe(true);
    expect(await store.revokeWithReason('missing', NOW)).toBe(false);
    await expect(service.verify(token)).rejects.toMatchObject({ code: 'TOKEN_REVOKED' });
    const again = await service.issue({ name: 'ci', ownerEmail: 'owner@example.com' });
    await store.touchLastUsed([
      { id: again.record.id, at: NOW },
      { id: again.record.id, at: NOW - 1000 },
    ]);
    const info = await store.get(again.record.id);
    expect(info?.lastUsedAt).toBe(NOW);
    const live = await store.list({ ownerEmail: 'owner@example.com', limit: 10, offset: 0 });
    expect(live.map((t) => t.id)).toEqual([again.record.id]);
    const all = await store.list({
      ownerEmail: 'owner@example.com',
      limit: 10,
      offset: 0,
      includeInactive: true,
    });
    expect(all.find((t) => t.id === record.id)).toMatchObject({
      revokedBy: 'admin@example.com',
      revocationReason: 'leaked',
    });
  });

  it('token revocations: primary-key lookup, idempotent revoke, purge of expired entries', async () => {
    const store = new DbTokenRevocationStore(ctx, () => NOW);
    await store.revoke({ jti: 'j1', expiresAt: NOW + 60_000, revokedBy: 'a@example.com' });
    await store.revoke({ jti: 'j1', expiresAt: NOW + 60_000 });
    await store.revoke({ jti: 'j2', expiresAt: NOW - 1 });
    expect(await store.isRevoked('j1')).toBe(true);
    expect(await store.isRevoked('nope')).toBe(false);
    expect(await store.purge()).toBe(1);
    expect(await store.isRevoked('j2')).toBe(false);
  });

  it('login failures: concurrent failures are all counted and the fifth locks the account', async () => {
    const store = new DbLoginFailureStore(ctx);
    const policy = { now: NOW, windowMs: 3_600_000, maxFailures: 5, lockoutMs: 600_000 };
    const states = await Promise.all(
      Array.from({ length: 5 }, () => store.recordFailure('x@example.com', policy)),
    );
    expect(states.map((s) => s.failures).sort()).toEqual([1, 2, 3, 4, 5]);
    expect((await store.get('x@example.com'))?.lockedUntil).toBe(NOW + 600_000);
    await store.reset('x@example.com');
    expect(await store.get('x@example.com')).toBeUndefined();
  });

  it('upstream OAuth tokens: stored encrypted per gateway and user, replaced in place', async () => {
    const store = new DbOAuthTokenStore(ctx, () => NOW);
    const key = { gatewayId: 'gw1', userEmail: 'owner@example.com' };
    await store.set(key, {
      accessToken: 'at-1',
      tokenType: 'Bearer',
      expiresAt: NOW + 1000,
      refreshToken: 'rt-1',
    });
    await Promise.all([
      store.set(
        { gatewayId: 'gw1', userEmail: null },
        { accessToken: 'cc-1', tokenType: 'Bearer', expiresAt: null },
      ),
      store.set(
        { gatewayId: 'gw1', userEmail: null },
        { accessToken: 'cc-2', tokenType: 'Bearer', expiresAt: null },
      ),
    ]);
    await store.set(key, {
      accessToken: 'at-2',
      tokenType: 'Bearer',
      expiresAt: NOW + 2000,
      refreshToken: 'rt-2',
    });
    expect(await store.get(key)).toEqual({
      accessToken: 'at-2',
      tokenType: 'Bearer',
      expiresAt: NOW + 2000,
      refreshToken: 'rt-2',
    });
    expect((await store.get({ gatewayId: 'gw1', userEmail: null }))?.accessToken).toMatch(/^cc-[12]$/);
    const raw = await gdb.db
      .selectFrom('oauth_tokens')
      .select(['access_token_enc', 'refresh_token_enc'])
      .execute();
    expect(raw).toHaveLength(2);
    for (const r of raw) expect(`${r.access_token_enc} ${r.refresh_token_enc}`).not.toMatch(/at-|rt-|cc-/);
    expect(await store.status(key)).toMatchObject({ hasRefreshToken: true, expiresAt: NOW + 2000 });
    await store.delete(key);
    expect(await store.get(key)).toBeUndefined();
  });

  it('OAuth states: taken exactly once even by concurrent callers, expired ones refused', async () => {
    const store = new DbOAuthStateStore(ctx);
    const pending = {
      gatewayId: 'gw1',
      userEmail: 'owner@example.com',
      codeVerifier: 'verifier-verifier',
      redirectUri: 'https://gw.example/oauth/callback',
      nonce: 'n1',
      returnTo: '/admin',
      expiresAt: NOW + 60_000,
    };
    await store.put('s1', pending);
    const raw = await gdb.db.selectFrom('oauth_states').select('code_verifier_enc').executeTakeFirst();
    expect(raw?.code_verifier_enc).not.toContain('verifier-verifier');
    const results = await Promise.all([store.take('s1', NOW), store.take('s1', NOW), store.take('s1', NOW)]);
    expect(results.filter(Boolean)).toEqual([pending]);
    await store.put('s2', { ...pending, expiresAt: NOW - 1 });
    expect(await store.take('s2', NOW)).toBeUndefined();
    await store.put('s3', { ...pending, expiresAt: NOW - 1 });
    expect(await store.purge(NOW)).toBe(1);
  });

  it('audit sink: queued writes land in batches and read back newest first with filters', async () => {
    const sink = new DbAuditSink(ctx, { flushIntervalMs: 60_000, batchSize: 1000 });
    for (let i = 0; i < 5; i++) {
      sink.write(
        auditEvent({
          action: i % 2 ? 'entity.updated' : 'auth.login.failed',
          outcome: i % 2 ? 'success' : 'failure',
          actor: { subject: `u${i}@example.com`, authMethod: 'jwt', ip: '10.0.0.1' },
          target: { type: 'tool', id: `t${i}` },
          details: { attempt: i, password: 'hunter2' },
          timestamp: new Date(NOW + i * 1000),
        }),
      );
    }
    const failures = await sink.query({ action: 'auth.login.failed', limit: 10, offset: 0 });
    expect(failures.map((e) => e.actor.subject)).toEqual([
      'u4@example.com',
      'u2@example.com',
      'u0@example.com',
    ]);
    expect(failures[0]?.details).toEqual({ attempt: 4, password: '***' });
    expect(await sink.query({ action: 'entity.*', targetId: 't3', limit: 10, offset: 0 })).toHaveLength(1);
    expect(await sink.purge(NOW + 2500)).toBe(3);
    await sink.close();
  });

  it('keys: generated once, shared by concurrent callers, encrypted at rest', async () => {
    const a = new KeyStore(ctx);
    const values = await Promise.all([
      a.getOrCreate('jwt_hmac_secret'),
      new KeyStore(ctx).getOrCreate('jwt_hmac_secret'),
    ]);
    expect(values[0]).toBe(values[1]);
    expect(values[0]).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const raw = await gdb.db.selectFrom('auth_keys').select('value_enc').executeTakeFirst();
    expect(raw?.value_enc).not.toContain(values[0]);
  });

  it('users, teams, roles, SSO identities and providers, OAuth client registrations', async () => {
    const users = new UserStore(ctx);
    expect((await users.list({ limit: 10, offset: 0, search: 'OWN' })).map((u) => u.email)).toEqual([
      'owner@example.com',
    ]);
    expect(await users.list({ limit: 10, offset: 0, search: '%' })).toEqual([]);
    const teams = new TeamStore(ctx);
    const t = { created_at: 'x', updated_at: 'x', description: null, max_members: null, is_active: 1 };
    await teams.insert({
      id: 'team1',
      name: 'Team 1',
      slug: 'team-1',
      is_personal: 0,
      visibility: 'private',
      created_by: 'owner@example.com',
      ...t,
    });
    await teams.addMember({
      team_id: 'team1',
      user_email: 'owner@example.com',
      role: 'owner',
      joined_at: 'x',
      invited_by: null,
    });
    expect((await teams.teamsOf('owner@example.com')).map((x) => [x.id, x.member_role])).toEqual([
      ['team1', 'owner'],
    ]);
    expect(await teams.countMembers('team1', 'owner')).toBe(1);
    await teams.insertInvitation({
      id: 'inv1',
      team_id: 'team1',
      email: 'new@example.com',
      role: 'member',
      token_hash: 'h'.repeat(64),
      invited_by: 'owner@example.com',
      created_at: 'x',
      expires_at: 'y',
      accepted_at: null,
      revoked_at: null,
    });
    const closes = await Promise.all([
      teams.closeInvitation('inv1', 'accepted_at', 'z'),
      teams.closeInvitation('inv1', 'accepted_at', 'z'),
    ]);
    expect(closes.filter(Boolean)).toHaveLength(1);

    const roles = new RoleStore(ctx);
    await roles.seedSystemRoles(Object.values(BUILTIN_ROLES));
    await roles.seedSystemRoles(Object.values(BUILTIN_ROLES));
    expect((await roles.list()).filter((r) => r.isSystemRole)).toHaveLength(5);
    const dev = (await roles.find('developer'))!;
    expect(await roles.assign('owner@example.com', dev.id, 'team1', 'admin@example.com')).toBe(true);
    expect(await roles.assign('owner@example.com', dev.id, 'team1', 'admin@example.com')).toBe(false);
    expect(await roles.assign('owner@example.com', dev.id, null, null)).toBe(true);
    expect(await roles.assign('owner@example.com', dev.id, null, null)).toBe(false);
    expect((await roles.grants({ userEmail: 'owner@example.com' })).map((g) => g.teamId).sort()).toEqual(
      [null, 'team1'].sort(),
    );
    expect(await roles.revoke('owner@example.com', dev.id, 'team1')).toBe(1);

    const sso = new SsoStore(ctx);
    await sso.link('keycloak', 'sub-1', 'owner@example.com');
    await sso.link('keycloak', 'sub-1', 'owner@example.com');
    expect(await sso.userOf('keycloak', 'sub-1')).toBe('owner@example.com');
    await sso.saveProvider({
      id: 'acme',
      kind: 'oidc',
      displayName: 'Acme',
      issuer: 'https://idp.example',
      clientId: 'c',
      clientSecret: 'shh',
      settings: { scopes: ['openid'] },
      enabled: true,
    });
    expect((await sso.getProvider('acme'))?.clientSecret).toBe('shh');
    const rawSso = await gdb.db.selectFrom('sso_providers').select('client_secret_enc').executeTakeFirst();
    expect(rawSso?.client_secret_enc).not.toContain('shh');

    const clients = new OAuthClientStore(ctx);
    const c = await clients.insert({
      gatewayId: 'gw1',
      issuer: 'https://as.example',
      clientId: 'dyn-1',
      clientSecret: 'dyn-secret',
      registrationAccessToken: 'rat',
      registrationClientUri: null,
      redirectUris: ['https://gw/cb'],
      tokenEndpointAuthMethod: 'client_secret_basic',
    });
    expect(await clients.find('gw1', 'https://as.example')).toMatchObject({
      clientId: 'dyn-1',
      clientSecret: 'dyn-secret',
      registrationAccessToken: 'rat',
    });
    expect(await clients.delete(c.id)).toBe(true);
    // Deleting the user cascades to memberships, grants, identities.
    expect(await users.delete('owner@example.com')).toBe(true);
    expect(await sso.userOf('keycloak', 'sub-1')).toBeUndefined();
    expect(await teams.members('team1')).toEqual([]);
  });
}

describe('security stores on SQLite', () => storeSuite('sqlite'));
await describeWithServices(['postgres'], 'security stores on PostgreSQL', () => storeSuite('postgres'));
await describeWithServices(['mariadb'], 'security stores on MariaDB', () => storeSuite('mysql'));
