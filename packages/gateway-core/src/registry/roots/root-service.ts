import type { Kysely, Selectable } from 'kysely';
import { z } from 'zod';
import type { Database, RootsTable } from '../../db/schema.js';
import { conflict, notFound } from '../../errors.js';
import { nowIso } from '../common/actor.js';
import { newId } from '../common/ids.js';
import { inTransaction } from '../common/transaction.js';
import type { RegistryContext } from '../registry-context.js';
import { resourceUriSchema } from '../resources/resource-schemas.js';

/** Body of `POST /v1/roots`. */
export const rootCreateSchema = z
  .object({ uri: resourceUriSchema, name: z.string().max(255).nullable().optional() })
  .strict();
/** Body of `PUT /v1/roots/{key}`. */
export const rootUpdateSchema = z
  .object({ uri: resourceUriSchema.optional(), name: z.string().max(255).nullable().optional() })
  .strict();
/** A root as the API returns it. */
export const rootOutputSchema = z.object({
  id: z.string(),
  uri: z.string(),
  name: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});
/** A root as the API returns it. */
export type RootOutput = z.output<typeof rootOutputSchema>;

type RootRow = Selectable<RootsTable>;
const out = (r: RootRow): RootOutput => ({
  id: r.id,
  uri: r.uri,
  name: r.name,
  created_at: r.created_at,
  updated_at: r.updated_at,
});

/**
 * Roots: the URIs the gateway offers upstream servers through MCP `roots/list`. A root is addressed by its
 * id or by its URI (URL-encoded in the path, as ContextForge does).
 */
export class RootService {
  /** @param ctx storage, cache, secret box and settings shared by the registries */
  constructor(private readonly ctx: RegistryContext) {}

  /** Every root, ordered by URI. */
  async list(): Promise<RootOutput[]> {
    return (await this.ctx.db.selectFrom('roots').selectAll().orderBy('uri').execute()).map(out);
  }

  /** @throws GatewayError NOT_FOUND */
  async get(key: string): Promise<RootOutput> {
    return out(await this.#find(this.ctx.db, key));
  }

  /** @throws GatewayError CONFLICT when the URI is taken */
  async create(input: z.output<typeof rootCreateSchema> & { id?: string }): Promise<RootOutput> {
    return inTransaction(this.ctx.db, 'root', (db) => this.createIn(db, input));
  }

  /** Creates a root inside a caller's transaction. */
  async createIn(
    db: Kysely<Database>,
    input: z.output<typeof rootCreateSchema> & { id?: string },
  ): Promise<RootOutput> {
    const taken = await db.selectFrom('roots').select('id').where('uri', '=', input.uri).executeTakeFirst();
    if (taken) throw conflict(`root uri '${input.uri}' already exists (${taken.id})`, 'uri');
    const now = nowIso();
    const row = {
      id: input.id ?? newId(),
      uri: input.uri,
      name: input.name ?? null,
      created_at: now,
      updated_at: now,
    };
    await db.insertInto('roots').values(row).execute();
    return out(row);
  }

  /** @throws GatewayError NOT_FOUND, CONFLICT */
  async update(key: string, input: z.output<typeof rootUpdateSchema>): Promise<RootOutput> {
    return inTransaction(this.ctx.db, 'root', async (db) => {
      const before = await this.#find(db, key);
      if (input.uri !== undefined && input.uri !== before.uri) {
        const taken = await db
          .selectFrom('roots')
          .select('id')
          .where('uri', '=', input.uri)
          .executeTakeFirst();
        if (taken) throw conflict(`root uri '${input.uri}' already exists (${taken.id})`, 'uri');
      }
      const changes = {
        ...(input.uri !== undefined ? { uri: input.uri } : {}),
        ...(input.name !== undefined ? { name: input.name } : {}),
        updated_at: nowIso(),
      };
      await db.updateTable('roots').set(changes).where('id', '=', before.id).execute();
      return out({ ...before, ...changes });
    });
  }

  /** @throws GatewayError NOT_FOUND */
  async delete(key: string): Promise<RootOutput> {
    return inTransaction(this.ctx.db, 'root', async (db) => {
      const row = await this.#find(db, key);
      await db.deleteFrom('roots').where('id', '=', row.id).execute();
      return out(row);
    });
  }

  async #find(db: Kysely<Database>, key: string): Promise<RootRow> {
    const row = await db
      .selectFrom('roots')
      .selectAll()
      .where((eb) => eb.or([eb('id', '=', key), eb('uri', '=', key)]))
      .executeTakeFirst();
    if (!row) throw notFound('root', key);
    return row;
  }
}
