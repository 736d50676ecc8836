import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { conflict, GatewayError, notFound } from '../../errors.js';
import { type Actor, updatedAudit } from '../common/actor.js';
import { commonInsert, commonPatch } from '../common/common-columns.js';
import { commonOutput } from '../common/common-fields.js';
import { assertUnused, getCachedOrThrow } from '../common/entity-ops.js';
import { newId } from '../common/ids.js';
import { toBool } from '../common/json-column.js';
import { slugify } from '../common/naming.js';
import { type ListFilter, type Page, toPage } from '../common/pagination.js';
import { SERVER_CACHE_PREFIX } from '../common/registry-cache.js';
import { inTransaction } from '../common/transaction.js';
import { promptRepository } from '../prompts/prompt-repository.js';
import type { PromptOutput } from '../prompts/prompt-schemas.js';
import { toPromptOutput } from '../prompts/prompt-service.js';
import type { RegistryContext } from '../registry-context.js';
import { resourceRepository } from '../resources/resource-repository.js';
import type { ResourceOutput } from '../resources/resource-schemas.js';
import { toResourceOutput } from '../resources/resource-service.js';
import { toToolOutput } from '../tools/tool-mapper.js';
import { toolRepository } from '../tools/tool-repository.js';
import type { ToolOutput } from '../tools/tool-schemas.js';
import { type ServerMembers, type ServerRow, serverRepository } from './server-repository.js';
import type { ServerCreate, ServerOutput, ServerToolRef, ServerUpdate } from './server-schemas.js';

/** Cache keys of a server. */
export const serverKeys = {
  id: (id: string) => `server:id:${id}`,
  members: (kind: 'tools' | 'resources' | 'prompts', id: string, inactive: boolean) =>
    `server:${kind}:${id}:${inactive ? 'all' : 'enabled'}`,
};

/** A tool as a virtual server exposes it: `alias` (null when none) and the resulting `exposed_name`. */
export type ServerTool = ToolOutput & { alias: string | null; exposed_name: string };

function toServerOutput(row: ServerRow, members: ServerMembers): ServerOutput {
  // Object.assign onto the common fields, not a spread: cheaper for lists of many rows.
  return Object.assign(commonOutput(row), {
    name: row.name,
    icon: row.icon,
    associated_tools: members.tools.map((t) => t.id),
    associated_tool_aliases: Object.fromEntries(
      members.tools.filter((t) => t.alias).map((t) => [t.id, t.alias!]),
    ),
    associated_resources: members.resources,
    associated_prompts: members.prompts,
  });
}

/**
 * Virtual servers: named groups of tools, resources and prompts from any gateway. References are checked
 * (422 naming the position), and the names a server exposes (alias, else tool name) must be unique in it.
 */
export class ServerService {
  /** @param ctx storage, cache, secret box and settings shared by the registries */
  constructor(private readonly ctx: RegistryContext) {}

  /** A page of entities ordered by name, then id, after the filter. */
  async list(filter: ListFilter): Promise<Page<ServerOutput>> {
    const rows = await serverRepository.list(this.ctx.db, filter);
    const members = await serverRepository.members(
      this.ctx.db,
      rows.slice(0, filter.limit).map((r) => r.id),
    );
    return toPage(
      rows,
      filter.limit,
      (r) => toServerOutput(r, members.get(r.id)!),
      (r) => ({ key: r.name, id: r.id }),
    );
  }

  /** @throws GatewayError NOT_FOUND */
  async get(id: string): Promise<ServerOutput> {
    return getCachedOrThrow(this.ctx.cache, serverKeys.id(id), 'server', id, () =>
      this.#load(this.ctx.db, id),
    );
  }

  /** @throws GatewayError VALIDATION_FAILED, UNPROCESSABLE (unknown member), CONFLICT (id, name, exposed names) */
  async create(input: ServerCreate, actor: Actor): Promise<ServerOutput> {
    return inTransaction(this.ctx.db, 'server', (db) => this.createIn(db, input, actor));
  }

  /** Creates a server inside a caller's transaction. */
  async createIn(db: Kysely<Database>, input: ServerCreate, actor: Actor): Promise<ServerOutput> {
    if (input.id && (await serverRepository.findById(db, input.id)))
      throw conflict(`server id '${input.id}' is already used`, 'id');
    await this.#assertNameFree(db, input.name, null);
    const tools = await this.#checkTools(db, input.associated_tools ?? []);
    const resources = await this.#checkIds(db, 'associated_resources', input.associated_resources ?? []);
    const prompts = await this.#checkIds(db, 'associated_prompts', input.associated_prompts ?? []);
    const id = input.id ?? newId();
    await serverRepository.insert(db, {
      id,
      slug: slugify(input.name) || 'server',
      ...commonInsert(input, actor),
      name: input.name,
      icon: input.icon ?? null,
    });
    await serverRepository.setTools(db, id, tools);
    await serverRepository.setResources(db, id, resources);
    await serverRepository.setPrompts(db, id, prompts);
    return (await this.#load(db, id))!;
  }

  /** @throws GatewayError NOT_FOUND, VALIDATION_FAILED, UNPROCESSABLE, CONFLICT */
  async update(id: string, input: ServerUpdate, actor: Actor): Promise<ServerOutput> {
    const out = await inTransaction(this.ctx.db, 'server', (db) => this.updateIn(db, id, input, actor));
    await this.ctx.cache.invalidatePrefix(SERVER_CACHE_PREFIX);
    return out;
  }

  /** Updates a server inside a caller's transaction. */
  async updateIn(db: Kysely<Database>, id: string, input: ServerUpdate, actor: Actor): Promise<ServerOutput> {
    const before = await serverRepository.findById(db, id);
    if (!before) throw notFound('server', id);
    if (input.name !== undefined && input.name !== before.name)
      await this.#assertNameFree(db, input.name, id);
    if (input.associated_tools !== undefined)
      await serverRepository.setTools(db, id, await this.#checkTools(db, input.associated_tools));
    if (input.associated_resources !== undefined) {
      await serverRepository.setResources(
        db,
        id,
        await this.#checkIds(db, 'associated_resources', input.associated_resources),
      );
    }
    if (input.associated_prompts !== undefined) {
      await serverRepository.setPrompts(
        db,
        id,
        await this.#checkIds(db, 'associated_prompts', input.associated_prompts),
      );
    }
    await serverRepository.update(db, id, {
      ...updatedAudit(actor, Number(before.version)),
      ...(input.name !== undefined ? { name: input.name, slug: slugify(input.name) || 'server' } : {}),
      ...(input.icon !== undefined ? { icon: input.icon } : {}),
      ...commonPatch(input),
    });
    return (await this.#load(db, id))!;
  }

  /** Enables or disables (`POST …/{id}/state?activate=`); bumps version. @throws GatewayError NOT_FOUND */
  setEnabled(id: string, enabled: boolean, actor: Actor): Promise<ServerOutput> {
    return this.update(id, { enabled }, actor);
  }

  /** @throws GatewayError NOT_FOUND */
  async delete(id: string): Promise<void> {
    await inTransaction(this.ctx.db, 'server', async (db) => {
      if (!(await serverRepository.delete(db, id))) throw notFound('server', id);
    });
    await this.ctx.cache.invalidatePrefix(SERVER_CACHE_PREFIX);
  }

  /** The server's tools in order, with alias and exposed name (disabled ones only with `includeInactive`). */
  async tools(id: string, includeInactive = false): Promise<ServerTool[]> {
    const server = await this.get(id);
    const cached = await this.ctx.cache.getOrLoad(serverKeys.members('tools', id, includeInactive), () =>
      this.#tools(server, includeInactive),
    );
    return cached ?? [];
  }

  async #tools(server: ServerOutput, includeInactive: boolean): Promise<ServerTool[]> {
    const rows = new Map(
      (await toolRepository.findByIds(this.ctx.db, server.associated_tools)).map((r) => [r.id, r]),
    );
    return server.associated_tools
      .map((toolId) => rows.get(toolId))
      .filter((r) => r !== undefined && (includeInactive || toBool(r.enabled)))
      .map((r) => {
        const alias = server.associated_tool_aliases[r!.id] ?? null;
        return { ...toToolOutput(r!, this.ctx.box), alias, exposed_name: alias ?? r!.name };
      });
  }

  /** The server's resources in order. */
  async resources(id: string, includeInactive = false): Promise<ResourceOutput[]> {
    const server = await this.get(id);
    const cached = await this.ctx.cache.getOrLoad(serverKeys.members('resources', id, includeInactive), () =>
      this.#resources(server, includeInactive),
    );
    return cached ?? [];
  }

  async #resources(server: ServerOutput, includeInactive: boolean): Promise<ResourceOutput[]> {
    const rows = new Map(
      (await resourceRepository.findByIds(this.ctx.db, server.associated_resources)).map((r) => [r.id, r]),
    );
    return server.associated_resources
      .map((rid) => rows.get(rid))
      .filter((r) => r !== undefined && (includeInactive || toBool(r.enabled)))
      .map((r) => toResourceOutput(r!));
  }

  /** The server's prompts in order. */
  async prompts(id: string, includeInactive = false): Promise<PromptOutput[]> {
    const server = await this.get(id);
    const cached = await this.ctx.cache.getOrLoad(serverKeys.members('prompts', id, includeInactive), () =>
      this.#prompts(server, includeInactive),
    );
    return cached ?? [];
  }

  async #prompts(server: ServerOutput, includeInactive: boolean): Promise<PromptOutput[]> {
    const rows = new Map(
      (await promptRepository.findByIds(this.ctx.db, server.associated_prompts)).map((r) => [r.id, r]),
    );
    return server.associated_prompts
      .map((pid) => rows.get(pid))
      .filter((r) => r !== undefined && (includeInactive || toBool(r.enabled)))
      .map((r) => toPromptOutput(r!));
  }

  async #load(db: Kysely<Database>, id: string): Promise<ServerOutput | undefined> {
    const row = await serverRepository.findById(db, id);
    if (!row) return undefined;
    const members = await serverRepository.members(db, [id]);
    return toServerOutput(row, members.get(id)!);
  }

  async #assertNameFree(db: Kysely<Database>, name: string, exceptId: string | null): Promise<void> {
    assertUnused(await serverRepository.findByName(db, name), exceptId, 'server', 'name', name);
  }

  async #checkTools(
    db: Kysely<Database>,
    refs: readonly ServerToolRef[],
  ): Promise<Array<{ id: string; alias: string | null }>> {
    const asked = refs.map((r) =>
      typeof r === 'string' ? { id: r, alias: null } : { id: r.id, alias: r.alias ?? null },
    );
    const ids = await this.#checkIds(
      db,
      'associated_tools',
      asked.map((w) => w.id),
    );
    const wanted = asked.map((w, i) => ({ id: ids[i]!, alias: w.alias }));
    const rows = new Map((await toolRepository.findByIds(db, ids)).map((r) => [r.id, r]));
    const exposed = new Map<string, number>();
    wanted.forEach((w, i) => {
      const name = w.alias ?? rows.get(w.id)!.name;
      const clash = exposed.get(name);
      if (clash !== undefined) {
        throw conflict(
          `associated_tools.${i} would be exposed as '${name}', which associated_tools.${clash} already uses inside this server`,
          `associated_tools.${i}${w.alias ? '.alias' : ''}`,
        );
      }
      exposed.set(name, i);
    });
    return wanted;
  }

  /**
   * Resolves member references (ids, or names — URIs for resources — for convenience) to ids, in order.
   * An id wins over a name. Repeats are rejected (400), unknown references are 422 naming the position.
   */
  async #checkIds(
    db: Kysely<Database>,
    field: 'associated_tools' | 'associated_resources' | 'associated_prompts',
    refs: readonly string[],
  ): Promise<string[]> {
    const byId =
      field === 'associated_tools'
        ? await toolRepository.findByIds(db, refs)
        : field === 'associated_resources'
          ? await resourceRepository.findByIds(db, refs)
          : await promptRepository.findByIds(db, refs);
    const ids = new Set(byId.map((r) => r.id));
    const kind = field.replace('associated_', '').replace(/s$/, '');
    const out: string[] = [];
    const seen = new Map<string, number>();
    for (const [i, ref] of refs.entries()) {
      let id: string | undefined = ids.has(ref) ? ref : undefined;
      if (!id) {
        const row =
          field === 'associated_tools'
            ? await toolRepository.findByName(db, ref)
            : field === 'associated_resources'
              ? await resourceRepository.findByUri(db, ref)
              : await promptRepository.findByName(db, ref);
        id = row?.id;
      }
      if (!id) {
        throw new GatewayError(
          'UNPROCESSABLE',
          `${field}.${i} refers to ${kind} '${ref}', which does not exist (give an id or a ${kind === 'resource' ? 'URI' : 'name'})`,
          { field: `${field}.${i}` },
        );
      }
      if (seen.has(id))
        throw new GatewayError(
          'VALIDATION_FAILED',
          `${field}.${i} repeats ${field}.${seen.get(id)} ('${ref}')`,
          { field: `${field}.${i}` },
        );
      seen.set(id, i);
      out.push(id);
    }
    return out;
  }
}
