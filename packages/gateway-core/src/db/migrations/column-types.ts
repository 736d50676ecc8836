import { type CreateTableBuilder, type Expression, sql } from 'kysely';
import type { DialectKind } from '../database-url.js';

// biome-ignore lint/suspicious/noExplicitAny: kysely's schema builders are untyped by design (tables may not exist yet).
type AnyCreateTable = CreateTableBuilder<any, any>;

/** Column types that differ per dialect, so one migration builds the same schema on all three. */
export interface ColumnTypes {
  /**
   * Text of any length (JSON, templates, content, descriptions): `text`, or `mediumtext` (16 MiB) on
   * MySQL, whose `text` stops at 64 KiB, below what request bodies may carry.
   */
  longText: 'text' | Expression<unknown>;
  /** Binary content: `blob`, `bytea` on PostgreSQL, `mediumblob` on MySQL. */
  binary: 'blob' | 'bytea' | Expression<unknown>;
  /** Adds table options (MySQL: InnoDB, utf8mb4, binary collation so name uniqueness and sort match SQLite/PostgreSQL). */
  table<T extends AnyCreateTable>(builder: T): T;
}

/** The column types for `kind`. */
export function columnTypes(kind: DialectKind): ColumnTypes {
  if (kind === 'mysql') {
    return {
      longText: sql`mediumtext`,
      binary: sql`mediumblob`,
      table: (b) => b.modifyEnd(sql`engine=InnoDB default charset=utf8mb4 collate=utf8mb4_bin`) as typeof b,
    };
  }
  return { longText: 'text', binary: kind === 'postgres' ? 'bytea' : 'blob', table: (b) => b };
}
