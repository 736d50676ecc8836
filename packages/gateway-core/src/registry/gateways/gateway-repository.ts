import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type { Database, GatewaysTable } from '../../db/schema.js';
import { applyListFilter } from '../common/list-query.js';
import type { ListFilter } from '../common/pagination.js';

/** A stored gateway row. */
export type GatewayRow = Selectable<GatewaysTable>;

/**
 * The prefix of a gateway's tool and prompt names: its slug, or null when the gateway exposes them under
 * their upstream names (`prefix_names` off).
 */
export function gatewayNamePrefix(row: Pick<GatewayRow, 'slug' | 'prefix_names'>): string | null {
  return Number(row.prefix_names) === 0 ? null : row.slug;
}

/** Storage of gateways (upstream MCP servers). */
export const gatewayRepository = {
  /** The row with `id`, if any. */
  findById(db: Kysely<Database>, id: string): Promise<GatewayRow | undefined> {
    return db.selectFrom('gateways').selectAll().where('id', '=', id).executeTakeFirst();
  },
  /** The row named `name`, if any. */
  findByName(db: Kysely<Database>, name: string): Promise<GatewayRow | undefined> {
    return db.selectFrom('gateways').selectAll().where('name', '=', name).executeTakeFirst();
  },
  /** The row whose slug is `slug`, if any. */
  findBySlug(db: Kysely<Database>, slug: string): Promise<GatewayRow | undefined> {
    return db.selectFrom('gateways').selectAll().where('slug', '=', slug).executeTakeFirst();
  },
  /** The slug (tool-name prefix) of a gateway, if it exists. */
  async slugOf(db: Kysely<Database>, id: string): Promise<string | undefined> {
    const row = await db.selectFrom('gateways').select('slug').where('id', '=', id).executeTakeFirst();
    return row?.slug;
  },
  /** The tool/prompt name prefix of a gateway ({@link gatewayNamePrefix}); undefined when it does not exist. */
  async namePrefixOf(db: Kysely<Database>, id: string): Promise<string | null | undefined> {
    const row = await db
      .selectFrom('gateways')
      .select(['slug', 'prefix_names'])
      .where('id', '=', id)
      .executeTakeFirst();
    return row === undefined ? undefined : gatewayNamePrefix(row);
  },
  /** One page (`limit + 1` rows, the extra one signalling more) ordered by name, then id. */
  list(db: Kysely<Database>, filter: ListFilter): Promise<GatewayRow[]> {
    return applyListFilter(db.selectFrom('gateways').selectAll(), filter, 'name').execute();
  },
  /** Every gateway (health checker, export). */
  all(db: Kysely<Database>): Promise<GatewayRow[]> {
    return db.selectFrom('gateways').selectAll().orderBy('name').orderBy('id').execute();
  },
  /** Inserts one row. */
  async insert(db: Kysely<Database>, row: Insertable<GatewaysTable>): Promise<void> {
    await db.insertInto('gateways').values(row).execute();
  },
  /** Updates the given columns of one row. */
  async update(db: Kysely<Database>, id: string, changes: Updateable<GatewaysTable>): Promise<void> {
    await db.updateTable('gateways').set(changes).where('id', '=', id).execute();
  },
  /** Deletes a gateway and (ON DELETE CASCADE) its tools, resources and prompts. */
  async delete(db: Kysely<Database>, id: string): Promise<boolean> {
    const result = await db.deleteFrom('gateways').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  },
};
