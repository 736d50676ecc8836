import type { Kysely } from 'kysely';
import type { DialectKind } from '../database-url.js';
import { type ColumnTypes, columnTypes } from './column-types.js';

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it is at that point, not today's types.
type AnyDb = Kysely<any>;
// biome-ignore lint/suspicious/noExplicitAny: see above.
type Builder = any;

/** Adds ContextForge's common entity columns. */
function common(t: Builder, ty: ColumnTypes): Builder {
  return t
    .addColumn('id', 'varchar(36)', (c: Builder) => c.primaryKey().notNull())
    .addColumn('slug', 'varchar(255)', (c: Builder) => c.notNull())
    .addColumn('description', ty.longText)
    .addColumn('tags', ty.longText, (c: Builder) => c.notNull())
    .addColumn('team_id', 'varchar(64)')
    .addColumn('owner_email', 'varchar(255)')
    .addColumn('visibility', 'varchar(16)', (c: Builder) => c.notNull())
    .addColumn('enabled', 'integer', (c: Builder) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c: Builder) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c: Builder) => c.notNull())
    .addColumn('created_by', 'varchar(255)')
    .addColumn('created_via', 'varchar(32)')
    .addColumn('modified_by', 'varchar(255)')
    .addColumn('modified_via', 'varchar(32)')
    .addColumn('import_batch_id', 'varchar(36)')
    .addColumn('version', 'integer', (c: Builder) => c.notNull());
}

async function createEntityTables(db: AnyDb, ty: ColumnTypes): Promise<void> {
  await ty
    .table(
      common(db.schema.createTable('gateways'), ty)
        .addColumn('name', 'varchar(255)', (c: Builder) => c.notNull().unique())
        .addColumn('url', 'varchar(2048)')
        .addColumn('transport', 'varchar(32)', (c: Builder) => c.notNull())
        .addColumn('command', ty.longText)
        .addColumn('args', ty.longText, (c: Builder) => c.notNull())
        .addColumn('auth_type', 'varchar(32)')
        .addColumn('auth_value', ty.longText)
        .addColumn('headers', ty.longText, (c: Builder) => c.notNull())
        .addColumn('passthrough_headers', ty.longText)
        .addColumn('capabilities', ty.longText, (c: Builder) => c.notNull())
        .addColumn('reachable', 'integer', (c: Builder) => c.notNull())
        .addColumn('last_seen', 'varchar(32)')
        .addColumn('last_health_check', 'varchar(32)')
        .addColumn('consecutive_failures', 'integer', (c: Builder) => c.notNull())
        .addColumn('last_error', ty.longText)
        .addUniqueConstraint('gateways_slug_key', ['slug']),
    )
    .execute();

  await ty
    .table(
      common(db.schema.createTable('tools'), ty)
        .addColumn('name', 'varchar(128)', (c: Builder) => c.notNull().unique())
        .addColumn('original_name', 'varchar(255)', (c: Builder) => c.notNull())
        .addColumn('custom_name', 'varchar(128)', (c: Builder) => c.notNull())
        .addColumn('title', 'varchar(255)')
        .addColumn('integration_type', 'varchar(16)', (c: Builder) => c.notNull())
        .addColumn('request_type', 'varchar(32)', (c: Builder) => c.notNull())
        .addColumn('url', 'varchar(2048)')
        .addColumn('headers', ty.longText, (c: Builder) => c.notNull())
        .addColumn('input_schema', ty.longText, (c: Builder) => c.notNull())
        .addColumn('output_schema', ty.longText)
        .addColumn('annotations', ty.longText, (c: Builder) => c.notNull())
        .addColumn('jsonpath_filter', ty.longText)
        .addColumn('auth_type', 'varchar(32)')
        .addColumn('auth_value', ty.longText)
        .addColumn('gateway_id', 'varchar(36)', (c: Builder) =>
          c.references('gateways.id').onDelete('cascade'),
        ),
    )
    .execute();

  await ty
    .table(
      common(db.schema.createTable('resources'), ty)
        // 767 characters keeps the unique index within MySQL's 3072-byte key limit under utf8mb4.
        .addColumn('uri', 'varchar(767)', (c: Builder) => c.notNull().unique())
        .addColumn('is_template', 'integer', (c: Builder) => c.notNull())
        .addColumn('name', 'varchar(255)', (c: Builder) => c.notNull())
        .addColumn('title', 'varchar(255)')
        .addColumn('mime_type', 'varchar(255)')
        .addColumn('text_content', ty.longText)
        .addColumn('binary_content', ty.binary)
        .addColumn('size', 'integer')
        .addColumn('gateway_id', 'varchar(36)', (c: Builder) =>
          c.references('gateways.id').onDelete('cascade'),
        ),
    )
    .execute();

  await ty
    .table(
      common(db.schema.createTable('prompts'), ty)
        .addColumn('name', 'varchar(128)', (c: Builder) => c.notNull().unique())
        .addColumn('original_name', 'varchar(255)', (c: Builder) => c.notNull())
        .addColumn('custom_name', 'varchar(128)', (c: Builder) => c.notNull())
        .addColumn('title', 'varchar(255)')
        .addColumn('template', ty.longText, (c: Builder) => c.notNull())
        .addColumn('arguments', ty.longText, (c: Builder) => c.notNull())
        .addColumn('gateway_id', 'varchar(36)', (c: Builder) =>
          c.references('gateways.id').onDelete('cascade'),
        ),
    )
    .execute();

  await ty
    .table(
      common(db.schema.createTable('servers'), ty)
        .addColumn('name', 'varchar(255)', (c: Builder) => c.notNull().unique())
        .addColumn('icon', 'varchar(2048)'),
    )
    .execute();
}

async function createAssociationTables(db: AnyDb, ty: ColumnTypes): Promise<void> {
  for (const [table, column, target] of [
    ['server_tools', 'tool_id', 'tools'],
    ['server_resources', 'resource_id', 'resources'],
    ['server_prompts', 'prompt_id', 'prompts'],
  ] as const) {
    let builder: Builder = db.schema
      .createTable(table)
      .addColumn('server_id', 'varchar(36)', (c: Builder) =>
        c.notNull().references('servers.id').onDelete('cascade'),
      )
      .addColumn(column, 'varchar(36)', (c: Builder) =>
        c.notNull().references(`${target}.id`).onDelete('cascade'),
      );
    if (table === 'server_tools') builder = builder.addColumn('alias', 'varchar(128)');
    builder = builder
      .addColumn('position', 'integer', (c: Builder) => c.notNull())
      .addPrimaryKeyConstraint(`${table}_pkey`, ['server_id', column]);
    if (table === 'server_tools')
      builder = builder.addUniqueConstraint('server_tools_alias_key', ['server_id', 'alias']);
    await ty.table(builder).execute();
    await db.schema.createIndex(`${table}_${column}_idx`).on(table).column(column).execute();
  }

  await ty
    .table(
      db.schema
        .createTable('roots')
        .addColumn('id', 'varchar(36)', (c: Builder) => c.primaryKey().notNull())
        .addColumn('uri', 'varchar(767)', (c: Builder) => c.notNull().unique())
        .addColumn('name', 'varchar(255)')
        .addColumn('created_at', 'varchar(32)', (c: Builder) => c.notNull())
        .addColumn('updated_at', 'varchar(32)', (c: Builder) => c.notNull()),
    )
    .execute();
}

async function createIndexes(db: AnyDb): Promise<void> {
  for (const table of ['gateways', 'tools', 'resources', 'prompts', 'servers']) {
    await db.schema.createIndex(`${table}_team_id_idx`).on(table).column('team_id').execute();
  }
  for (const table of ['tools', 'resources', 'prompts']) {
    await db.schema.createIndex(`${table}_gateway_id_idx`).on(table).column('gateway_id').execute();
  }
}

/** The initial schema: registries, virtual-server associations, roots. */
export function initialMigration(kind: DialectKind) {
  const ty = columnTypes(kind);
  return {
    async up(db: AnyDb): Promise<void> {
      await createEntityTables(db, ty);
      await createAssociationTables(db, ty);
      await createIndexes(db);
    },
  };
}
