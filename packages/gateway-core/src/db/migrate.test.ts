import { describeWithServices } from '@contextforge-internal/test-support';
import { afterAll, describe, expect, it } from 'vitest';
import { scratchDatabase } from '../../test/db-helpers.js';
import { connectDatabase } from './connect-database.js';
import { migrateToLatest, pendingMigrations } from './migrate.js';
import { type SchemaSnapshot, schemaSnapshot } from './schema-snapshot.js';

async function buildFromZero(kind: 'sqlite' | 'postgres' | 'mysql'): Promise<SchemaSnapshot> {
  const scratch = await scratchDatabase(kind);
  const gdb = await connectDatabase({ url: scratch.url, poolSize: 2, maxRetries: 0, retryIntervalMs: 0 });
  try {
    const all = ['0001_initial', '0002_auth', '0003_federation', '0004_gateway_prefix_names'];
    expect(await pendingMigrations(gdb.db, kind)).toEqual(all);
    expect(await migrateToLatest(gdb.db, kind)).toEqual(all);
    expect(await pendingMigrations(gdb.db, kind)).toEqual([]);
    // A second run (another replica starting) applies nothing.
    expect(await migrateToLatest(gdb.db, kind)).toEqual([]);
    return await schemaSnapshot(gdb.db, kind);
  } finally {
    await gdb.close();
    await scratch.drop();
  }
}

let sqliteSnapshot: SchemaSnapshot;

describe('migrations on SQLite', () => {
  it('build the schema from zero and report nothing pending afterwards', async () => {
    sqliteSnapshot = await buildFromZero('sqlite');
    expect(Object.keys(sqliteSnapshot.tables).sort()).toEqual([
      'api_tokens',
      'audit_events',
      'auth_keys',
      'auth_login_failures',
      'gateways',
      'oauth_clients',
      'oauth_states',
      'oauth_tokens',
      'prompts',
      'resources',
      'roles',
      'roots',
      'server_prompts',
      'server_resources',
      'server_tools',
      'servers',
      'sso_identities',
      'sso_providers',
      'team_invitations',
      'team_members',
      'teams',
      'token_revocations',
      'tools',
      'user_roles',
      'users',
    ]);
    expect(sqliteSnapshot.tables.api_tokens?.indexes).toContain('unique:token_hash');
    expect(sqliteSnapshot.tables.api_tokens?.indexes).toContain('unique:owner_email,active_name');
    expect(sqliteSnapshot.tables.oauth_tokens?.indexes).toContain('unique:gateway_id,user_key');
    expect(sqliteSnapshot.tables.user_roles?.indexes).toContain('unique:user_email,role_id,scope_key');
    expect(sqliteSnapshot.tables.server_tools?.indexes).toContain('unique:server_id,alias');
    expect(sqliteSnapshot.tables.tools?.indexes).toContain('unique:name');
  });
});

await describeWithServices(['postgres'], 'migrations on PostgreSQL', () => {
  it('build the same tables, columns and indexes as on SQLite', async () => {
    const pg = await buildFromZero('postgres');
    expect(pg).toEqual(sqliteSnapshot ?? (await buildFromZero('sqlite')));
  });
});

await describeWithServices(['mariadb'], 'migrations on MariaDB', () => {
  it('build the same tables, columns and indexes as on SQLite', async () => {
    const my = await buildFromZero('mysql');
    expect(my).toEqual(sqliteSnapshot ?? (await buildFromZero('sqlite')));
  });
});

afterAll(() => undefined);
