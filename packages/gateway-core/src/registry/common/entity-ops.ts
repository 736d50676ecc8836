import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { conflict, notFound } from '../../errors.js';
import { type RegistryCache, SERVER_CACHE_PREFIX } from './registry-cache.js';
import { inTransaction } from './transaction.js';

type Db = Kysely<Database>;

/**
 * One entity through the cache (`load` on a miss).
 *
 * @throws GatewayError NOT_FOUND naming `entity` and `id` when there is none
 */
export async function getCachedOrThrow<T>(
  cache: RegistryCache,
  key: string,
  entity: string,
  id: string,
  load: () => Promise<T | undefined>,
): Promise<T> {
  const value = await cache.getOrLoad(key, load);
  if (!value) throw notFound(entity, id);
  return value;
}

/**
 * Loads the row `id` and changes it with `change`, in one transaction.
 *
 * @returns the row before and after the change (for cache invalidation and the response)
 * @throws GatewayError NOT_FOUND, and whatever `change` throws (driver errors mapped for `entity`)
 */
export async function updateInTransaction<R>(
  db: Db,
  entity: string,
  id: string,
  find: (db: Db, id: string) => Promise<R | undefined>,
  change: (db: Db, before: R) => Promise<R>,
): Promise<{ before: R; row: R }> {
  return inTransaction(db, entity, async (trx) => {
    const before = await find(trx, id);
    if (!before) throw notFound(entity, id);
    return { before, row: await change(trx, before) };
  });
}

/**
 * Loads the row `id` and deletes it, in one transaction.
 *
 * @returns the deleted row (for cache invalidation)
 * @throws GatewayError NOT_FOUND
 */
export async function deleteInTransaction<R>(
  db: Db,
  entity: string,
  id: string,
  find: (db: Db, id: string) => Promise<R | undefined>,
  remove: (db: Db, id: string) => Promise<unknown>,
): Promise<R> {
  return inTransaction(db, entity, async (trx) => {
    const row = await find(trx, id);
    if (!row) throw notFound(entity, id);
    await remove(trx, id);
    return row;
  });
}

/**
 * Fails when a unique value (`field` = `value`) is already used by another `entity` than `exceptId`.
 *
 * @throws GatewayError CONFLICT: `tool name 'x' is already used by tool <id>`
 */
export function assertUnused(
  existing: { id: string } | undefined,
  exceptId: string | null,
  entity: string,
  field: string,
  value: string,
): void {
  if (existing && existing.id !== exceptId) {
    throw conflict(`${entity} ${field} '${value}' is already used by ${entity} ${existing.id}`, field);
  }
}

/**
 * Drops cached copies of changed tools, resources or prompts, and every cached virtual server: servers
 * embed their member lists (and deleted members left them).
 */
export async function invalidateMembers(cache: RegistryCache, keys: Iterable<string>): Promise<void> {
  await cache.invalidate(...new Set(keys));
  await cache.invalidatePrefix(SERVER_CACHE_PREFIX);
}
