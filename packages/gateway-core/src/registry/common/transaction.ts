import type { Kysely } from 'kysely';
import { mapWriteError } from '../../db/db-errors.js';
import type { Database } from '../../db/schema.js';

/**
 * Runs `work` in one transaction: all of it is stored or none of it. Driver errors are mapped to
 * caller-facing errors (`CONFLICT` for a unique-key race, …) naming `entity`.
 */
export async function inTransaction<T>(
  db: Kysely<Database>,
  entity: string,
  work: (trx: Kysely<Database>) => Promise<T>,
): Promise<T> {
  try {
    return await db.transaction().execute(work);
  } catch (error) {
    throw mapWriteError(error, entity);
  }
}
