import { type Kysely, sql } from 'kysely';
import type { DialectKind } from './database-url.js';
import type { Database } from './schema.js';

/** A dialect-neutral description of the schema: tables, columns (name, nullability), indexes. */
export interface SchemaSnapshot {
  tables: Record<
    string,
    {
      columns: Array<{ name: string; nullable: boolean }>;
      /** `unique:col1,col2` or `index:col1` entries, sorted (primary keys are `primary:…`). */
      indexes: string[];
    }
  >;
}

/**
 * Describes the current schema in terms that must be equal on SQLite, PostgreSQL and MySQL when they were
 * built by the same migrations (types are left out: they differ by design, see migrations/column-types.ts).
 */
export async function schemaSnapshot(db: Kysely<Database>, kind: DialectKind): Promise<SchemaSnapshot> {
  const tables = await db.introspection.getTables({ withInternalKyselyTables: false });
  const snapshot: SchemaSnapshot = { tables: {} };
  const currentSchema =
    kind === 'postgres'
      ? String(
          ((await sql<{ s: string }>`select current_schema() as s`.execute(db)).rows[0] as { s: string }).s,
        )
      : undefined;
  for (const table of tables) {
    if (table.isView || table.name.startsWith('cf_migration')) continue;
    if (currentSchema !== undefined && table.schema !== currentSchema) continue;
    snapshot.tables[table.name] = {
      columns: table.columns
        .map((c) => ({ name: c.name, nullable: c.isNullable }))
        .sort((a, b) => a.name.localeCompare(b.name)),
      indexes: (await indexesOf(db, kind, table.name)).sort(),
    };
  }
  return snapshot;
}

async function indexesOf(db: Kysely<Database>, kind: DialectKind, table: string): Promise<string[]> {
  if (kind === 'sqlite') {
    const list = await sql<{ name: string; unique: number; origin: string }>`
      select name, "unique", origin from pragma_index_list(${table})`.execute(db);
    const out: string[] = [];
    for (const index of list.rows) {
      const cols = await sql<{
        name: string;
      }>`select name from pragma_index_info(${index.name}) order by seqno`.execute(db);
      const label = index.origin === 'pk' ? 'primary' : index.unique ? 'unique' : 'index';
      out.push(`${label}:${cols.rows.map((c) => c.name).join(',')}`);
    }
    // A single-column INTEGER/TEXT primary key has no index entry in SQLite; take it from table_info.
    if (!out.some((i) => i.startsWith('primary:'))) {
      const pk = await sql<{
        name: string;
        pk: number;
      }>`select name, pk from pragma_table_info(${table})`.execute(db);
      const cols = pk.rows.filter((r) => r.pk > 0).sort((a, b) => a.pk - b.pk);
      if (cols.length > 0) out.push(`primary:${cols.map((c) => c.name).join(',')}`);
    }
    return out;
  }
  if (kind === 'postgres') {
    const rows = await sql<{ unique: boolean; primary: boolean; cols: string }>`
      select ix.indisunique as unique, ix.indisprimary as primary,
             string_agg(a.attname, ',' order by k.ord) as cols
      from pg_index ix
      join pg_class t on t.oid = ix.indrelid
      join pg_namespace n on n.oid = t.relnamespace and n.nspname = current_schema()
      cross join lateral unnest(ix.indkey) with ordinality as k(attnum, ord)
      join pg_attribute a on a.attrelid = t.oid and a.attnum = k.attnum
      where t.relname = ${table}
      group by ix.indexrelid, ix.indisunique, ix.indisprimary`.execute(db);
    return rows.rows.map((r) => `${r.primary ? 'primary' : r.unique ? 'unique' : 'index'}:${r.cols}`);
  }
  const rows = await sql<{ name: string; non_unique: number; cols: string }>`
    select index_name as name, min(non_unique) as non_unique,
           group_concat(column_name order by seq_in_index separator ',') as cols
    from information_schema.statistics
    where table_schema = database() and table_name = ${table}
    group by index_name`.execute(db);
  return rows.rows.map(
    (r) => `${r.name === 'PRIMARY' ? 'primary' : Number(r.non_unique) === 0 ? 'unique' : 'index'}:${r.cols}`,
  );
}
