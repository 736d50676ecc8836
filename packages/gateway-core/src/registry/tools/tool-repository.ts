import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type { Database, ToolsTable } from '../../db/schema.js';
import { applyListFilter } from '../common/list-query.js';
import type { ListFilter } from '../common/pagination.js';

/** A stored tool row. */
export type ToolRow = Selectable<ToolsTable>;

/**
 * Storage of tools. Every method takes the executor to use, so services can run several calls in one
 * transaction.
 */
export const toolRepository = {
  /** The row with `id`, if any. */
  findById(db: Kysely<Database>, id: string): Promise<ToolRow | undefined> {
    return db.selectFrom('tools').selectAll().where('id', '=', id).executeTakeFirst();
  },

  /** The row exposed as `name`, if any. */
  findByName(db: Kysely<Database>, name: string): Promise<ToolRow | undefined> {
    return db.selectFrom('tools').selectAll().where('name', '=', name).executeTakeFirst();
  },

  /** Rows with these ids (any order). */
  findByIds(db: Kysely<Database>, ids: readonly string[]): Promise<ToolRow[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return db.selectFrom('tools').selectAll().where('id', 'in', ids).execute();
  },

  /** Every tool of a gateway. */
  listByGateway(db: Kysely<Database>, gatewayId: string): Promise<ToolRow[]> {
    return db.selectFrom('tools').selectAll().where('gateway_id', '=', gatewayId).orderBy('name').execute();
  },

  /** One page (`limit + 1` rows) ordered by name, id. */
  list(db: Kysely<Database>, filter: ListFilter): Promise<ToolRow[]> {
    return applyListFilter(db.selectFrom('tools').selectAll(), filter, 'name', {
      hasGateway: true,
    }).execute();
  },

  /** Inserts one row. */
  async insert(db: Kysely<Database>, row: Insertable<ToolsTable>): Promise<void> {
    await db.insertInto('tools').values(row).execute();
  },

  /** Updates the given columns of one row. */
  async update(db: Kysely<Database>, id: string, changes: Updateable<ToolsTable>): Promise<void> {
    await db.updateTable('tools').set(changes).where('id', '=', id).execute();
  },

  /** Deletes a tool; its virtual-server memberships go with it (ON DELETE CASCADE). */
  async delete(db: Kysely<Database>, id: string): Promise<boolean> {
    const result = await db.deleteFrom('tools').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  },
};
