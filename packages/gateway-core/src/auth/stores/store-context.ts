import type { Kysely } from 'kysely';
import type { SecretBox } from '../../crypto/secret-box.js';
import type { DialectKind } from '../../db/database-url.js';
import type { Database } from '../../db/schema.js';

/** What every security store needs: the database, its dialect and the secret box for `*_enc` columns. */
export interface StoreContext {
  db: Kysely<Database>;
  kind: DialectKind;
  box: SecretBox;
}

/** Epoch ms → the stored ISO-8601 form. */
export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** Stored ISO-8601 (or null) → epoch ms (or null). */
export function ms(value: string | null | undefined): number | null {
  if (value === null || value === undefined) return null;
  const t = Date.parse(value);
  return Number.isNaN(t) ? null : t;
}

/** True when `error` is a unique-key violation on any of the three drivers. */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: unknown; errno?: unknown };
  const code = typeof e?.code === 'string' ? e.code : '';
  return (
    code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    code === '23505' ||
    code === 'ER_DUP_ENTRY' ||
    e?.errno === 1062
  );
}

/**
 * Inserts a row unless its key exists (`INSERT … ON CONFLICT DO NOTHING`, MySQL `INSERT IGNORE`).
 * @returns true when this call inserted the row
 */
export async function insertIgnore<T extends keyof Database & string>(
  ctx: Pick<StoreContext, 'db' | 'kind'>,
  table: T,
  values: Record<string, unknown>,
): Promise<boolean> {
  // biome-ignore lint/suspicious/noExplicitAny: generic over tables; column names are checked by the stores' tests.
  const base = ctx.db.insertInto(table).values(values as any);
  const result =
    ctx.kind === 'mysql'
      ? await base.ignore().executeTakeFirst()
      : await base.onConflict((oc) => oc.doNothing()).executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}
