import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type { Database, ResourcesTable } from '../../db/schema.js';
import { applyListFilter } from '../common/list-query.js';
import type { ListFilter } from '../common/pagination.js';

/** A stored resource row (content included). */
export type ResourceRow = Selectable<ResourcesTable>;
/** A stored resource row without its content columns. */
export type ResourceInfoRow = Omit<ResourceRow, 'text_content' | 'binary_content'>;

const INFO_COLUMNS = [
  'id',
  'slug',
  'description',
  'tags',
  'team_id',
  'owner_email',
  'visibility',
  'enabled',
  'created_at',
  'updated_at',
  'created_by',
  'created_via',
  'modified_by',
  'modified_via',
  'import_batch_id',
  'version',
  'uri',
  'is_template',
  'name',
  'title',
  'mime_type',
  'size',
  'gateway_id',
  'federation_via',
] as const;

/** Storage of resources. Listings never load content. */
export const resourceRepository = {
  /** The row with `id`, if any. */
  findById(db: Kysely<Database>, id: string): Promise<ResourceRow | undefined> {
    return db.selectFrom('resources').selectAll().where('id', '=', id).executeTakeFirst();
  },
  /** The row with `id` without its content, if any. */
  findInfoById(db: Kysely<Database>, id: string): Promise<ResourceInfoRow | undefined> {
    return db.selectFrom('resources').select(INFO_COLUMNS).where('id', '=', id).executeTakeFirst();
  },
  /** The row with `uri` (without content), if any. */
  findByUri(db: Kysely<Database>, uri: string): Promise<ResourceInfoRow | undefined> {
    return db.selectFrom('resources').select(INFO_COLUMNS).where('uri', '=', uri).executeTakeFirst();
  },
  /** Rows with these ids, in no particular order. */
  findByIds(db: Kysely<Database>, ids: readonly string[]): Promise<ResourceInfoRow[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return db.selectFrom('resources').select(INFO_COLUMNS).where('id', 'in', ids).execute();
  },
  /** Every row belonging to a gateway. */
  listByGateway(db: Kysely<Database>, gatewayId: string): Promise<ResourceInfoRow[]> {
    return db.selectFrom('resources').select(INFO_COLUMNS).where('gateway_id', '=', gatewayId).execute();
  },
  /** One page (`limit + 1` rows, the extra one signalling more) ordered by name, then id. */
  list(db: Kysely<Database>, filter: ListFilter): Promise<ResourceInfoRow[]> {
    return applyListFilter(db.selectFrom('resources').select(INFO_COLUMNS), filter, 'name', {
      hasGateway: true,
    }).execute();
  },
  /** Inserts one row. */
  async insert(db: Kysely<Database>, row: Insertable<ResourcesTable>): Promise<void> {
    await db.insertInto('resources').values(row).execute();
  },
  /** Updates the given columns of one row. */
  async update(db: Kysely<Database>, id: string, changes: Updateable<ResourcesTable>): Promise<void> {
    await db.updateTable('resources').set(changes).where('id', '=', id).execute();
  },
  /** Deletes one row; true when it existed. Dependent memberships go by ON DELETE CASCADE. */
  async delete(db: Kysely<Database>, id: string): Promise<boolean> {
    const result = await db.deleteFrom('resources').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  },
};
