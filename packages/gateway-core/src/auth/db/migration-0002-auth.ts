import type { Kysely } from 'kysely';
import type { DialectKind } from '../../db/database-url.js';
import { type ColumnTypes, columnTypes } from '../../db/migrations/column-types.js';

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it is at that point, not today's types.
type AnyDb = Kysely<any>;
// biome-ignore lint/suspicious/noExplicitAny: see above.
type Builder = any;

const TS = 'varchar(32)';
const EMAIL = 'varchar(320)';
const ID = 'varchar(36)';
const nn = (c: Builder) => c.notNull();

const primaryKey = (c: Builder) => c.primaryKey().notNull();
const requiredUnique = (c: Builder) => c.notNull().unique();

/** `id`: the table's primary key. */
const idKey = (t: Builder) => t.addColumn('id', ID, primaryKey);
/** `created_at` and `updated_at`, both required. */
const timestamps = (t: Builder) => t.addColumn('created_at', TS, nn).addColumn('updated_at', TS, nn);
/** A required reference to a user; the row goes when the user does. */
const userRef = (c: Builder) => c.notNull().references('users.email').onDelete('cascade');
/** A required reference to a team; the row goes when the team does. */
const teamRef = (c: Builder) => c.notNull().references('teams.id').onDelete('cascade');
/** An optional reference to a team (null: not team-scoped); the row goes when the team does. */
const optionalTeamRef = (c: Builder) => c.references('teams.id').onDelete('cascade');
/** A required reference to a gateway; the row goes when the gateway does. */
const gatewayRef = (c: Builder) => c.notNull().references('gateways.id').onDelete('cascade');

/** Creates this migration's tables (with the dialect's table options) and single-column indexes. */
interface SchemaWriter {
  /** Creates `name` with the columns and constraints `columns` adds. */
  table(name: string, columns: (t: Builder) => Builder): Promise<void>;
  /** Creates the index `<table>_<column>_idx`. */
  index(table: string, column: string): Promise<void>;
}

function schemaWriter(db: AnyDb, ty: ColumnTypes): SchemaWriter {
  return {
    table: async (name, columns) => {
      await ty.table(columns(db.schema.createTable(name))).execute();
    },
    index: async (table, column) => {
      await db.schema.createIndex(`${table}_${column}_idx`).on(table).column(column).execute();
    },
  };
}

async function identityTables({ table, index }: SchemaWriter, ty: ColumnTypes): Promise<void> {
  await table('users', (t) =>
    t
      .addColumn('email', EMAIL, primaryKey)
      .addColumn('password_hash', 'varchar(255)')
      .addColumn('full_name', 'varchar(255)')
      .addColumn('is_admin', 'integer', nn)
      .addColumn('is_active', 'integer', nn)
      .addColumn('auth_provider', 'varchar(64)', nn)
      .addColumn('email_verified_at', TS)
      .addColumn('password_change_required', 'integer', nn)
      .addColumn('password_changed_at', TS)
      .addColumn('last_login_at', TS)
      .$call(timestamps),
  );
  await table('teams', (t) =>
    t
      .$call(idKey)
      .addColumn('name', 'varchar(255)', nn)
      .addColumn('slug', 'varchar(255)', requiredUnique)
      .addColumn('description', ty.longText)
      .addColumn('is_personal', 'integer', nn)
      .addColumn('visibility', 'varchar(16)', nn)
      .addColumn('max_members', 'integer')
      .addColumn('created_by', EMAIL, nn)
      .addColumn('is_active', 'integer', nn)
      .$call(timestamps),
  );
  await table('team_members', (t) =>
    t
      .addColumn('team_id', ID, teamRef)
      .addColumn('user_email', EMAIL, userRef)
      .addColumn('role', 'varchar(64)', nn)
      .addColumn('joined_at', TS, nn)
      .addColumn('invited_by', EMAIL)
      .addPrimaryKeyConstraint('team_members_pkey', ['team_id', 'user_email']),
  );
  await index('team_members', 'user_email');
  await table('team_invitations', (t) =>
    t
      .$call(idKey)
      .addColumn('team_id', ID, teamRef)
      .addColumn('email', EMAIL, nn)
      .addColumn('role', 'varchar(64)', nn)
      .addColumn('token_hash', 'varchar(64)', requiredUnique)
      .addColumn('invited_by', EMAIL, nn)
      .addColumn('created_at', TS, nn)
      .addColumn('expires_at', TS, nn)
      .addColumn('accepted_at', TS)
      .addColumn('revoked_at', TS),
  );
  await index('team_invitations', 'team_id');
}

async function rbacTables({ table, index }: SchemaWriter, ty: ColumnTypes): Promise<void> {
  await table('roles', (t) =>
    t
      .$call(idKey)
      .addColumn('name', 'varchar(64)', requiredUnique)
      .addColumn('description', ty.longText)
      .addColumn('scope', 'varchar(16)', nn)
      .addColumn('permissions', ty.longText, nn)
      .addColumn('is_system_role', 'integer', nn)
      .addColumn('created_by', EMAIL)
      .$call(timestamps),
  );
  await table('user_roles', (t) =>
    t
      .$call(idKey)
      .addColumn('user_email', EMAIL, userRef)
      .addColumn('role_id', ID, (c: Builder) => c.notNull().references('roles.id').onDelete('cascade'))
      .addColumn('team_id', ID, optionalTeamRef)
      .addColumn('scope_key', ID, nn)
      .addColumn('granted_by', EMAIL)
      .addColumn('granted_at', TS, nn)
      .addUniqueConstraint('user_roles_grant_key', ['user_email', 'role_id', 'scope_key']),
  );
  await index('user_roles', 'role_id');
  await index('user_roles', 'team_id');
}

async function tokenTables({ table, index }: SchemaWriter, ty: ColumnTypes): Promise<void> {
  await table('api_tokens', (t) =>
    t
      .$call(idKey)
      .addColumn('token_hash', 'varchar(64)', requiredUnique)
      .addColumn('display_prefix', 'varchar(16)', nn)
      .addColumn('name', 'varchar(255)', nn)
      .addColumn('active_name', 'varchar(255)')
      .addColumn('description', ty.longText)
      .addColumn('owner_email', EMAIL, userRef)
      .addColumn('team_id', ID, optionalTeamRef)
      .addColumn('server_ids', ty.longText)
      .addColumn('permissions', ty.longText, nn)
      .addColumn('ip_restrictions', ty.longText, nn)
      .addColumn('tags', ty.longText, nn)
      .addColumn('created_at', TS, nn)
      .addColumn('expires_at', TS)
      .addColumn('revoked_at', TS)
      .addColumn('revoked_by', EMAIL)
      .addColumn('revocation_reason', 'varchar(255)')
      .addColumn('last_used_at', TS)
      .addUniqueConstraint('api_tokens_owner_name_key', ['owner_email', 'active_name']),
  );
  await index('api_tokens', 'team_id');
  await table('token_revocations', (t) =>
    t
      .addColumn('jti', 'varchar(255)', primaryKey)
      .addColumn('revoked_at', TS, nn)
      .addColumn('expires_at', TS)
      .addColumn('revoked_by', EMAIL)
      .addColumn('reason', 'varchar(255)'),
  );
  await index('token_revocations', 'expires_at');
  await table('auth_login_failures', (t) =>
    t
      .addColumn('key', EMAIL, primaryKey)
      .addColumn('failures', 'integer', nn)
      .addColumn('window_start', TS, nn)
      .addColumn('locked_until', TS)
      .addColumn('updated_at', TS, nn),
  );
  await table('auth_keys', (t) =>
    t
      .addColumn('name', 'varchar(64)', primaryKey)
      .addColumn('value_enc', ty.longText, nn)
      .addColumn('created_at', TS, nn),
  );
}

async function oauthTables({ table, index }: SchemaWriter, ty: ColumnTypes): Promise<void> {
  await table('oauth_tokens', (t) =>
    t
      .$call(idKey)
      .addColumn('gateway_id', ID, gatewayRef)
      .addColumn('user_key', EMAIL, nn)
      .addColumn('user_email', EMAIL)
      .addColumn('access_token_enc', ty.longText, nn)
      .addColumn('refresh_token_enc', ty.longText)
      .addColumn('token_type', 'varchar(32)', nn)
      .addColumn('scope', ty.longText)
      .addColumn('expires_at', TS)
      .$call(timestamps)
      .addUniqueConstraint('oauth_tokens_owner_key', ['gateway_id', 'user_key']),
  );
  await table('oauth_states', (t) =>
    t
      .addColumn('state', 'varchar(64)', primaryKey)
      .addColumn('gateway_id', 'varchar(128)', nn)
      .addColumn('user_email', EMAIL)
      .addColumn('code_verifier_enc', ty.longText, nn)
      .addColumn('redirect_uri', ty.longText, nn)
      .addColumn('nonce', 'varchar(64)')
      .addColumn('return_to', ty.longText)
      .addColumn('expires_at', TS, nn),
  );
  await index('oauth_states', 'expires_at');
  await table('oauth_clients', (t) =>
    t
      .$call(idKey)
      .addColumn('gateway_id', ID, gatewayRef)
      // 512 characters keeps the (gateway_id, issuer) key within MySQL's 3072-byte limit under utf8mb4.
      .addColumn('issuer', 'varchar(512)', nn)
      .addColumn('client_id', 'varchar(255)', nn)
      .addColumn('client_secret_enc', ty.longText)
      .addColumn('registration_access_token_enc', ty.longText)
      .addColumn('registration_client_uri', ty.longText)
      .addColumn('redirect_uris', ty.longText, nn)
      .addColumn('token_endpoint_auth_method', 'varchar(32)', nn)
      .$call(timestamps)
      .addUniqueConstraint('oauth_clients_gateway_issuer_key', ['gateway_id', 'issuer']),
  );
}

async function ssoAndAuditTables({ table, index }: SchemaWriter, ty: ColumnTypes): Promise<void> {
  await table('sso_providers', (t) =>
    t
      .addColumn('id', 'varchar(64)', primaryKey)
      .addColumn('kind', 'varchar(16)', nn)
      .addColumn('display_name', 'varchar(255)', nn)
      .addColumn('issuer', 'varchar(2048)')
      .addColumn('client_id', 'varchar(255)', nn)
      .addColumn('client_secret_enc', ty.longText)
      .addColumn('settings', ty.longText, nn)
      .addColumn('enabled', 'integer', nn)
      .$call(timestamps),
  );
  await table('sso_identities', (t) =>
    t
      .addColumn('provider', 'varchar(64)', nn)
      .addColumn('subject', 'varchar(255)', nn)
      .addColumn('user_email', EMAIL, userRef)
      .addColumn('created_at', TS, nn)
      .addColumn('last_login_at', TS, nn)
      .addPrimaryKeyConstraint('sso_identities_pkey', ['provider', 'subject']),
  );
  await index('sso_identities', 'user_email');
  await table('audit_events', (t) =>
    t
      .$call(idKey)
      .addColumn('timestamp', TS, nn)
      .addColumn('action', 'varchar(64)', nn)
      .addColumn('outcome', 'varchar(16)', nn)
      .addColumn('actor_subject', EMAIL, nn)
      .addColumn('actor_auth_method', 'varchar(16)')
      .addColumn('actor_ip', 'varchar(64)')
      .addColumn('target_type', 'varchar(64)')
      .addColumn('target_id', 'varchar(255)')
      .addColumn('target_name', 'varchar(255)')
      .addColumn('request_id', 'varchar(128)')
      .addColumn('details', ty.longText),
  );
  for (const column of ['timestamp', 'action', 'actor_subject']) {
    await index('audit_events', column);
  }
}

/**
 * Migration 0002: users, teams, memberships and invitations, roles and grants, API tokens, JWT
 * revocations, login failures, upstream OAuth tokens/states/clients, SSO providers and identities, audit
 * events and the gateway's own generated keys.
 */
export function authMigration(kind: DialectKind) {
  const ty = columnTypes(kind);
  return {
    async up(db: AnyDb): Promise<void> {
      const writer = schemaWriter(db, ty);
      await identityTables(writer, ty);
      await rbacTables(writer, ty);
      await tokenTables(writer, ty);
      await oauthTables(writer, ty);
      await ssoAndAuditTables(writer, ty);
    },
  };
}
