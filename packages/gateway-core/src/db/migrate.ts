import { type Kysely, Migrator } from 'kysely';
import { GatewayError } from '../errors.js';
import type { DialectKind } from './database-url.js';
import { allMigrations } from './migrations/index.js';
import type { Database } from './schema.js';

/** Names of the migration bookkeeping tables. */
export const MIGRATION_TABLE = 'cf_migration';
/** Lock table used so that replicas starting together migrate once. */
export const MIGRATION_LOCK_TABLE = 'cf_migration_lock';

function migrator(db: Kysely<Database>, kind: DialectKind): Migrator {
  return new Migrator({
    db,
    provider: { getMigrations: async () => allMigrations(kind) },
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: MIGRATION_LOCK_TABLE,
  });
}

/**
 * Applies every pending migration (serialised across processes by kysely's lock table).
 *
 * @returns names of the migrations applied by this call
 * @throws GatewayError DB_UNAVAILABLE naming the migration that failed
 */
export async function migrateToLatest(db: Kysely<Database>, kind: DialectKind): Promise<string[]> {
  const { error, results } = await migrator(db, kind).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'migration bookkeeping';
    throw new GatewayError(
      'DB_UNAVAILABLE',
      `database migration ${failed} failed: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Names of migrations not yet applied (empty when the schema is current). */
export async function pendingMigrations(db: Kysely<Database>, kind: DialectKind): Promise<string[]> {
  const infos = await migrator(db, kind).getMigrations();
  return infos.filter((m) => m.executedAt === undefined).map((m) => m.name);
}
