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

async function identityTables(db: AnyDb, ty: ColumnTypes): Promise<void> {
  await ty
    .table(
      db.schema
        .createTable('users')
        .addColumn('email', EMAIL, (c: Builder) => c.primaryKey().notNull())
        .addColumn('password_hash', 'varchar(255)')
        .addColumn('full_name', 'varchar(255)')
        .addColumn('is_admin', 'integer', nn)
        .addColumn('is_active', 'integer', nn)
        .addColumn('auth_provider', 'varchar(64)', nn)
        .addColumn('email_verified_at', TS)
        .addColumn('password_change_required', 'integer', nn)
        .addColumn('password_changed_at', TS)
        .addColumn('last_login_at', TS)
        .addColumn('created_at', TS, nn)
        .addColumn('updated_at', TS, nn),
    )
    .execute();
  await ty
    .table(
      db.schema
        .createTable('teams')
        .addColumn('id', ID, (c: Builder) => c.primaryKey().notNull())
        .addColumn('name', 'varchar(255)', nn)
        .addColumn('slug', 'varchar(255)', (c: Builder) => c.notNull().unique())
        .addColumn('description', ty.longText)
        .addColumn('is_personal', 'integer', nn)
        .addColumn('visibility', 'varchar(16)', nn)
        .addColumn('max_members', 'integer')
        .addColumn('created_by', EMAIL, nn)
        .addColumn('is_active', 'integer', nn)
        .addColumn('created_at', TS, nn)
        .addColumn('updated_at', TS, nn),
    )
    .execute();
  await ty
    .table(
      db.schema
        .createTable('team_members')
        .addColumn('team_id', ID, (c: Builder) => c.notNull().references('teams.id').onDelete('cascade'))
        .addColumn('user_email', EMAIL, (c: Builder) =>
          c.notNull().references('users.email').onDelete('cascade'),
        )
        .addColumn('role', 'varchar(64)', nn)
        .addColumn('joined_at', TS, nn)
        .addColumn('invited_by', EMAIL)
        .addPrimaryKeyConstraint('team_members_pkey', ['team_id', 'user_email']),
    )
    .execute();
  await db.schema
    .createIndex('team_members_user_email_idx')
    .on('team_members')
    .column('user_email')
    .execute();
  await ty
    .table(
      db.schema
        .createTable('team_invitations')
        .addColumn('id', ID, (c: Builder) => c.primaryKey().notNull())
        .addColumn('team_id', ID, (c: Builder) => c.notNull().references('teams.id').onDelete('cascade'))
        .addColumn('email', EMAIL, nn)
        .addColumn('role', 'varchar(64)', nn)
        .addColumn('token_hash', 'varchar(64)', (c: Builder) => c.notNull().unique())
        .addColumn('invited_by', EMAIL, nn)
        .addColumn('created_at', TS, nn)
        .addColumn('expires_at', TS, nn)
        .addColumn('accepted_at', TS)
        .addColumn('revoked_at', TS),
    )
    .execute();
  await db.schema
    .createIndex('team_invitations_team_id_idx')
    .on('team_invitations')
    .column('team_id')
    .execute();
}

async function rbacTables(db: AnyDb, ty: ColumnTypes): Promise<void> {
  await ty
    .table(
      db.schema
        .createTable('roles')
        .addColumn('id', ID, (c: Builder) => c.primaryKey().notNull())
        .addColumn('name', 'varchar(64)', (c: Builder) => c.notNull().unique())
        .addColumn('description', ty.longText)
        .addColumn('scope', 'varchar(16)', nn)
        .addColumn('permissions', ty.longText, nn)
        .addColumn('is_system_role', 'integer', nn)
        .addColumn('created_by', EMAIL)
        .addColumn('created_at', TS, nn)
        .addColumn('updated_at', TS, nn),
    )
    .execute();
  await ty
    .table(
      db.schema
        .createTable('user_roles')
        .addColumn('id', ID, (c: Builder) => c.primaryKey().notNull())
        .addColumn('user_email', EMAIL, (c: Builder) =>
          c.notNull().references('users.email').onDelete('cascade'),
        )
        .addColumn('role_id', ID, (c: Builder) => c.notNull().references('roles.id').onDelete('cascade'))
        .addColumn('team_id', ID, (c: Builder) => c.references('teams.id').onDelete('cascade'))
        .addColumn('scope_key', ID, nn)
        .addColumn('granted_by', EMAIL)
        .addColumn('granted_at', TS, nn)
        .addUniqueConstraint('user_roles_grant_key', ['user_email', 'role_id', 'scope_key']),
    )
    .execute();
  await db.schema.createIndex('user_roles_role_id_idx').on('user_roles').column('role_id').execute();
  await db.schema.createIndex('user_roles_team_id_idx').on('user_roles').column('team_id').execute();
}

async function tokenTables(db: AnyDb, ty: ColumnTypes): Promise<void> {
  await ty
    .table(
      db.schema
        .createTable('api_tokens')
        .addColumn('id', ID, (c: Builder) => c.primaryKey().notNull())
        .addColumn('token_hash', 'varchar(64)', (c: Builder) => c.notNull().unique())
        .addColumn('display_prefix', 'varchar(16)', nn)
        .addColumn('name', 'varchar(255)', nn)
        .addColumn('active_name', 'varchar(255)')
        .addColumn('description', ty.longText)
        .addColumn('owner_email', EMAIL, (c: Builder) =>
          c.notNull().references('users.email').onDelete('cascade'),
        )
        .addColumn('team_id', ID, (c: Builder) => c.references('teams.id').onDelete('cascade'))
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
    )
    .execute();
  await db.schema.createIndex('api_tokens_team_id_idx').on('api_tokens').column('team_id').execute();
  await ty
    .table(
      db.schema
        .createTable('token_revocations')
        .addColumn('jti', 'varchar(255)', (c: Builder) => c.primaryKey().notNull())
        .addColumn('revoked_at', TS, nn)
        .addColumn('expires_at', TS)
        .addColumn('revoked_by', EMAIL)
        .addColumn('reason', 'varchar(255)'),
    )
    .execute();
  await db.schema
    .createIndex('token_revocations_expires_at_idx')
    .on('token_revocations')
    .column('expires_at')
    .execute();
  await ty
    .table(
      db.schema
        .createTable('auth_login_failures')
        .addColumn('key', EMAIL, (c: Builder) => c.primaryKey().notNull())
        .addColumn('failures', 'integer', nn)
        .addColumn('window_start', TS, nn)
        .addColumn('locked_until', TS)
        .addColumn('updated_at', TS, nn),
    )
    .execute();
  await ty
    .table(
      db.schema
        .createTable('auth_keys')
        .addColumn('name', 'varchar(64)', (c: Builder) => c.primaryKey().notNull())
        .addColumn('value_enc', ty.longText, nn)
        .addColumn('created_at', TS, nn),
    )
    .execute();
}

async function oauthTables(db: AnyDb, ty: ColumnTypes): Promise<void> {
  await ty
    .table(
      db.schema
        .createTable('oauth_tokens')
        .addColumn('id', ID, (c: Builder) => c.primaryKey().notNull())
        .addColumn('gateway_id', ID, (c: Builder) =>
          c.notNull().references('gateways.id').onDelete('cascade'),
        )
        .addColumn('user_key', EMAIL, nn)
        .addColumn('user_email', EMAIL)
        .addColumn('access_token_enc', ty.longText, nn)
        .addColumn('refresh_token_enc', ty.longText)
        .addColumn('token_type', 'varchar(32)', nn)
        .addColumn('scope', ty.longText)
        .addColumn('expires_at', TS)
        .addColumn('created_at', TS, nn)
        .addColumn('updated_at', TS, nn)
        .addUniqueConstraint('oauth_tokens_owner_key', ['gateway_id', 'user_key']),
    )
    .execute();
  await ty
    .table(
      db.schema
        .createTable('oauth_states')
        .addColumn('state', 'varchar(64)', (c: Builder) => c.primaryKey().notNull())
        .addColumn('gateway_id', 'varchar(128)', nn)
        .addColumn('user_email', EMAIL)
        .addColumn('code_verifier_enc', ty.longText, nn)
        .addColumn('redirect_uri', ty.longText, nn)
        .addColumn('nonce', 'varchar(64)')
        .addColumn('return_to', ty.longText)
        .addColumn('expires_at', TS, nn),
    )
    .execute();
  await db.schema
    .createIndex('oauth_states_expires_at_idx')
    .on('oauth_states')
    .column('expires_at')
    .execute();
  await ty
    .table(
      db.schema
        .createTable('oauth_clients')
        .addColumn('id', ID, (c: Builder) => c.primaryKey().notNull())
        .addColumn('gateway_id', ID, (c: Builder) =>
          c.notNull().references('gateways.id').onDelete('cascade'),
        )
        // 512 characters keeps the (gateway_id, issuer) key within MySQL's 3072-byte limit under utf8mb4.
        .addColumn('issuer', 'varchar(512)', nn)
        .addColumn('client_id', 'varchar(255)', nn)
        .addColumn('client_secret_enc', ty.longText)
        .addColumn('registration_access_token_enc', ty.longText)
        .addColumn('registration_client_uri', ty.longText)
        .addColumn('redirect_uris', ty.longText, nn)
        .addColumn('token_endpoint_auth_method', 'varchar(32)', nn)
        .addColumn('created_at', TS, nn)
        .addColumn('updated_at', TS, nn)
        .addUniqueConstraint('oauth_clients_gateway_issuer_key', ['gateway_id', 'issuer']),
    )
    .execute();
}

async function ssoAndAuditTables(db: AnyDb, ty: ColumnTypes): Promise<void> {
  await ty
    .table(
      db.schema
        .createTable('sso_providers')
        .addColumn('id', 'varchar(64)', (c: Builder) => c.primaryKey().notNull())
        .addColumn('kind', 'varchar(16)', nn)
        .addColumn('display_name', 'varchar(255)', nn)
        .addColumn('issuer', 'varchar(2048)')
        .addColumn('client_id', 'varchar(255)', nn)
        .addColumn('client_secret_enc', ty.longText)
        .addColumn('settings', ty.longText, nn)
        .addColumn('enabled', 'integer', nn)
        .addColumn('created_at', TS, nn)
        .addColumn('updated_at', TS, nn),
    )
    .execute();
  await ty
    .table(
      db.schema
        .createTable('sso_identities')
        .addColumn('provider', 'varchar(64)', nn)
        .addColumn('subject', 'varchar(255)', nn)
        .addColumn('user_email', EMAIL, (c: Builder) =>
          c.notNull().references('users.email').onDelete('cascade'),
        )
        .addColumn('created_at', TS, nn)
        .addColumn('last_login_at', TS, nn)
        .addPrimaryKeyConstraint('sso_identities_pkey', ['provider', 'subject']),
    )
    .execute();
  await db.schema
    .createIndex('sso_identities_user_email_idx')
    .on('sso_identities')
    .column('user_email')
    .execute();
  await ty
    .table(
      db.schema
        .createTable('audit_events')
        .addColumn('id', ID, (c: Builder) => c.primaryKey().notNull())
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
    )
    .execute();
  for (const column of ['timestamp', 'action', 'actor_subject']) {
    await db.schema.createIndex(`audit_events_${column}_idx`).on('audit_events').column(column).execute();
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
      await identityTables(db, ty);
      await rbacTables(db, ty);
      await tokenTables(db, ty);
      await oauthTables(db, ty);
      await ssoAndAuditTables(db, ty);
    },
  };
}
