import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type { Database, PromptsTable } from '../../db/schema.js';
import { applyListFilter } from '../common/list-query.js';
import type { ListFilter } from '../common/pagination.js';

/** A stored prompt row. */
export type PromptRow = Selectable<PromptsTable>;

/** Storage of prompts. */
export const promptRepository = {
  /** The row with `id`, if any. */
  findById(db: Kysely<Database>, id: string): Promise<PromptRow | undefined> {
    return db.selectFrom('prompts').selectAll().where('id', '=', id).executeTakeFirst();
  },
  /** The row named `name`, if any. */
  findByName(db: Kysely<Database>, name: string): Promise<PromptRow | undefined> {
    return db.selectFrom('prompts').selectAll().where('name', '=', name).executeTakeFirst();
  },
  /** Rows with these ids, in no particular order. */
  findByIds(db: Kysely<Database>, ids: readonly string[]): Promise<PromptRow[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return db.selectFrom('prompts').selectAll().where('id', 'in', ids).execute();
  },
  /** Every row belonging to a gateway. */
  listByGateway(db: Kysely<Database>, gatewayId: string): Promise<PromptRow[]> {
    return db.selectFrom('prompts').selectAll().where('gateway_id', '=', gatewayId).execute();
  },
  /** One page (`limit + 1` rows, the extra one signalling more) ordered by name, then id. */
  list(db: Kysely<Database>, filter: ListFilter): Promise<PromptRow[]> {
    return applyListFilter(db.selectFrom('prompts').selectAll(), filter, 'name', {
      hasGateway: true,
    }).execute();
  },
  /** Inserts one row. */
  async insert(db: Kysely<Database>, row: Insertable<PromptsTable>): Promise<void> {
    await db.insertInto('prompts').values(row).execute();
  },
  /** Updates the given columns of one row. */
  async update(db: Kysely<Database>, id: string, changes: Updateable<PromptsTable>): Promise<void> {
    await db.updateTable('prompts').set(changes).where('id', '=', id).execute();
  },
  /** Deletes one row; true when it existed. Dependent memberships go by ON DELETE CASCADE. */
  async delete(db: Kysely<Database>, id: string): Promise<boolean> {
    const result = await db.deleteFrom('prompts').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  },
};
