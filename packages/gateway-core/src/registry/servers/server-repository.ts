import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type { Database, ServersTable } from '../../db/schema.js';
import { applyListFilter } from '../common/list-query.js';
import type { ListFilter } from '../common/pagination.js';

/** A stored server row. */
export type ServerRow = Selectable<ServersTable>;

/** A server's members, in their stored order. */
export interface ServerMembers {
  tools: Array<{ id: string; alias: string | null }>;
  resources: string[];
  prompts: string[];
}

/** Storage of virtual servers and their tool/resource/prompt memberships. */
export const serverRepository = {
  /** The row with `id`, if any. */
  findById(db: Kysely<Database>, id: string): Promise<ServerRow | undefined> {
    return db.selectFrom('servers').selectAll().where('id', '=', id).executeTakeFirst();
  },
  /** The row named `name`, if any. */
  findByName(db: Kysely<Database>, name: string): Promise<ServerRow | undefined> {
    return db.selectFrom('servers').selectAll().where('name', '=', name).executeTakeFirst();
  },
  /** One page (`limit + 1` rows, the extra one signalling more) ordered by name, then id. */
  list(db: Kysely<Database>, filter: ListFilter): Promise<ServerRow[]> {
    return applyListFilter(db.selectFrom('servers').selectAll(), filter, 'name').execute();
  },
  /** Inserts one row. */
  async insert(db: Kysely<Database>, row: Insertable<ServersTable>): Promise<void> {
    await db.insertInto('servers').values(row).execute();
  },
  /** Updates the given columns of one row. */
  async update(db: Kysely<Database>, id: string, changes: Updateable<ServersTable>): Promise<void> {
    await db.updateTable('servers').set(changes).where('id', '=', id).execute();
  },
  /** Deletes one row; true when it existed. Dependent memberships go by ON DELETE CASCADE. */
  async delete(db: Kysely<Database>, id: string): Promise<boolean> {
    const result = await db.deleteFrom('servers').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  },

  /** Members of many servers at once (one query per kind, not per server). */
  async members(db: Kysely<Database>, serverIds: readonly string[]): Promise<Map<string, ServerMembers>> {
    const out = new Map<string, ServerMembers>(
      serverIds.map((id) => [id, { tools: [], resources: [], prompts: [] }]),
    );
    if (serverIds.length === 0) return out;
    const [tools, resources, prompts] = await Promise.all([
      db
        .selectFrom('server_tools')
        .selectAll()
        .where('server_id', 'in', serverIds)
        .orderBy('position')
        .execute(),
      db
        .selectFrom('server_resources')
        .selectAll()
        .where('server_id', 'in', serverIds)
        .orderBy('position')
        .execute(),
      db
        .selectFrom('server_prompts')
        .selectAll()
        .where('server_id', 'in', serverIds)
        .orderBy('position')
        .execute(),
    ]);
    for (const t of tools) out.get(t.server_id)?.tools.push({ id: t.tool_id, alias: t.alias });
    for (const r of resources) out.get(r.server_id)?.resources.push(r.resource_id);
    for (const p of prompts) out.get(p.server_id)?.prompts.push(p.prompt_id);
    return out;
  },

  /** Replaces the tool members of a server. */
  async setTools(
    db: Kysely<Database>,
    serverId: string,
    tools: ReadonlyArray<{ id: string; alias: string | null }>,
  ): Promise<void> {
    await db.deleteFrom('server_tools').where('server_id', '=', serverId).execute();
    if (tools.length > 0) {
      await db
        .insertInto('server_tools')
        .values(
          tools.map((t, position) => ({ server_id: serverId, tool_id: t.id, alias: t.alias, position })),
        )
        .execute();
    }
  },

  /** Replaces the resource members of a server. */
  async setResources(db: Kysely<Database>, serverId: string, ids: readonly string[]): Promise<void> {
    await db.deleteFrom('server_resources').where('server_id', '=', serverId).execute();
    if (ids.length > 0) {
      await db
        .insertInto('server_resources')
        .values(ids.map((id, position) => ({ server_id: serverId, resource_id: id, position })))
        .execute();
    }
  },

  /** Replaces the prompt members of a server. */
  async setPrompts(db: Kysely<Database>, serverId: string, ids: readonly string[]): Promise<void> {
    await db.deleteFrom('server_prompts').where('server_id', '=', serverId).execute();
    if (ids.length > 0) {
      await db
        .insertInto('server_prompts')
        .values(ids.map((id, position) => ({ server_id: serverId, prompt_id: id, position })))
        .execute();
    }
  },
};
