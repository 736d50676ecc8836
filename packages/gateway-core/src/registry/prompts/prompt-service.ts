import type { Insertable, Kysely } from 'kysely';
import type { Database, PromptsTable } from '../../db/schema.js';
import { GatewayError } from '../../errors.js';
import { type Actor, updatedAudit } from '../common/actor.js';
import { commonInsert, commonPatch } from '../common/common-columns.js';
import { commonOutput } from '../common/common-fields.js';
import {
  assertUnused,
  deleteInTransaction,
  getCachedOrThrow,
  invalidateMembers,
  updateInTransaction,
} from '../common/entity-ops.js';
import { referencedGatewaySlug } from '../common/gateway-ref.js';
import { newId } from '../common/ids.js';
import { fromJson, toJson } from '../common/json-column.js';
import { assertToolName, composeName, slugify } from '../common/naming.js';
import { type ListFilter, type Page, toPage } from '../common/pagination.js';
import { inTransaction } from '../common/transaction.js';
import type { RegistryContext } from '../registry-context.js';
import type { PromptRenderer } from './prompt-renderer.js';
import { type PromptRow, promptRepository } from './prompt-repository.js';
import type { PromptCreate, PromptOutput, PromptResult, PromptUpdate } from './prompt-schemas.js';
import { deriveArguments, type PromptArgument, validateTemplate } from './prompt-template.js';

/** Cache keys of a prompt. */
export const promptKeys = {
  id: (id: string) => `prompt:id:${id}`,
  name: (name: string) => `prompt:name:${name}`,
};

/** Maps a stored row to the API shape. */
export function toPromptOutput(row: PromptRow): PromptOutput {
  // Object.assign onto the common fields, not a spread: cheaper for lists of many rows.
  return Object.assign(commonOutput(row), {
    name: row.name,
    original_name: row.original_name,
    custom_name: row.custom_name,
    title: row.title,
    template: row.template,
    arguments: fromJson<PromptArgument[]>(row.arguments, []).map((a) => ({
      ...a,
      required: a.required === true,
    })),
    gateway_id: row.gateway_id,
  });
}

/**
 * The prompt registry: nunjucks templates validated on write (syntax, size, no access to blocked
 * members), arguments declared or derived, rendering in a sandboxed worker with a timeout.
 */
export class PromptService {
  constructor(
    private readonly ctx: RegistryContext,
    private readonly renderer: PromptRenderer,
  ) {}

  /** A page of entities ordered by name, then id, after the filter. */
  async list(filter: ListFilter): Promise<Page<PromptOutput>> {
    const rows = await promptRepository.list(this.ctx.db, filter);
    return toPage(rows, filter.limit, toPromptOutput, (r) => ({ key: r.name, id: r.id }));
  }

  /** @throws GatewayError NOT_FOUND */
  async get(id: string): Promise<PromptOutput> {
    return getCachedOrThrow(this.ctx.cache, promptKeys.id(id), 'prompt', id, async () => {
      const row = await promptRepository.findById(this.ctx.db, id);
      return row ? toPromptOutput(row) : undefined;
    });
  }

  /** A prompt by exposed name (cached), for the MCP engine. */
  findByName(name: string): Promise<PromptOutput | undefined> {
    return this.ctx.cache.getOrLoad(promptKeys.name(name), async () => {
      const row = await promptRepository.findByName(this.ctx.db, name);
      return row ? toPromptOutput(row) : undefined;
    });
  }

  /** @throws GatewayError VALIDATION_FAILED, PAYLOAD_TOO_LARGE, UNPROCESSABLE, CONFLICT */
  async create(input: PromptCreate, actor: Actor): Promise<PromptOutput> {
    const row = await inTransaction(this.ctx.db, 'prompt', (db) => this.createIn(db, input, actor));
    // The invalidation is every replica's change feed (`prompts/list_changed`), not a cache need.
    await this.ctx.cache.invalidate(promptKeys.id(row.id), promptKeys.name(row.name));
    return toPromptOutput(row);
  }

  /** Creates a prompt inside a caller's transaction. */
  async createIn(
    db: Kysely<Database>,
    input: PromptCreate & { id?: string; original_name?: string },
    actor: Actor,
  ): Promise<PromptRow> {
    this.#checkTemplate(input.template, !input.gateway_id);
    const slug = await referencedGatewaySlug(db, input.gateway_id ?? null);
    const name = composeName(slug, this.ctx.config.GATEWAY_TOOL_NAME_SEPARATOR, input.name);
    assertToolName(name, 'name');
    await this.#assertNameFree(db, name, null);
    const row: Insertable<PromptsTable> = {
      id: input.id ?? newId(),
      slug: slugify(input.name) || input.name.toLowerCase(),
      ...commonInsert(input, actor),
      name,
      original_name: input.original_name ?? input.name,
      custom_name: input.name,
      title: input.title ?? null,
      template: input.template,
      arguments: toJson(input.arguments ?? (input.gateway_id ? [] : deriveArguments(input.template))),
      gateway_id: input.gateway_id ?? null,
    };
    await promptRepository.insert(db, row);
    return (await promptRepository.findById(db, row.id))!;
  }

  /** @throws GatewayError NOT_FOUND, VALIDATION_FAILED, PAYLOAD_TOO_LARGE, UNPROCESSABLE, CONFLICT */
  async update(id: string, input: PromptUpdate, actor: Actor): Promise<PromptOutput> {
    const { before, row } = await updateInTransaction(
      this.ctx.db,
      'prompt',
      id,
      promptRepository.findById,
      (db, found) => this.updateIn(db, found, input, actor),
    );
    await this.#invalidate(before, row);
    return toPromptOutput(row);
  }

  /** Updates a loaded row inside a caller's transaction. */
  async updateIn(
    db: Kysely<Database>,
    before: PromptRow,
    input: PromptUpdate,
    actor: Actor,
  ): Promise<PromptRow> {
    const gatewayId = input.gateway_id === undefined ? before.gateway_id : input.gateway_id;
    if (input.template !== undefined) this.#checkTemplate(input.template, !gatewayId);
    const customName = input.custom_name ?? input.name ?? before.custom_name;
    const name = composeName(
      await referencedGatewaySlug(db, gatewayId),
      this.ctx.config.GATEWAY_TOOL_NAME_SEPARATOR,
      customName,
    );
    assertToolName(name, 'name');
    if (name !== before.name) await this.#assertNameFree(db, name, before.id);
    const args =
      input.arguments !== undefined
        ? input.arguments
        : input.template !== undefined && fromJson<unknown[]>(before.arguments, []).length === 0
          ? deriveArguments(input.template)
          : undefined;
    await promptRepository.update(db, before.id, {
      ...updatedAudit(actor, Number(before.version)),
      name,
      custom_name: customName,
      slug: slugify(customName) || customName.toLowerCase(),
      gateway_id: gatewayId,
      ...(input.title !== undefined ? { title: input.title } : {}),
      ...(input.template !== undefined ? { template: input.template } : {}),
      ...(args !== undefined ? { arguments: toJson(args) } : {}),
      ...commonPatch(input),
    });
    return (await promptRepository.findById(db, before.id))!;
  }

  /** Enables or disables (`POST …/{id}/state?activate=`); bumps version. @throws GatewayError NOT_FOUND */
  setEnabled(id: string, enabled: boolean, actor: Actor): Promise<PromptOutput> {
    return this.update(id, { enabled }, actor);
  }

  /** @throws GatewayError NOT_FOUND */
  async delete(id: string): Promise<void> {
    const before = await deleteInTransaction(
      this.ctx.db,
      'prompt',
      id,
      promptRepository.findById,
      promptRepository.delete,
    );
    await this.#invalidate(before);
  }

  /**
   * Renders a prompt (by id or name) with argument values: every required argument must be given, no
   * undeclared one may be.
   *
   * @throws GatewayError NOT_FOUND, VALIDATION_FAILED (unknown argument), UNPROCESSABLE (missing required
   *   argument, disabled prompt), RENDER_FAILED (template error, timeout, output too large)
   */
  async render(idOrName: string, args: Record<string, string>): Promise<PromptResult> {
    // ContextForge's older routes addressed prompts by name; accept both (an id wins).
    const prompt = await this.get(idOrName).catch(async (error: unknown) => {
      const byName = await this.findByName(idOrName);
      if (!byName) throw error;
      return byName;
    });
    if (!prompt.enabled) throw new GatewayError('UNPROCESSABLE', `prompt '${prompt.name}' is disabled`);
    if (prompt.gateway_id && prompt.template === '') {
      throw new GatewayError(
        'UNPROCESSABLE',
        `prompt '${prompt.name}' is served by gateway ${prompt.gateway_id}; it is rendered upstream (MCP prompts/get), not here`,
      );
    }
    const declared = new Map(prompt.arguments.map((a) => [a.name, a]));
    for (const name of Object.keys(args)) {
      if (!declared.has(name)) {
        const known = [...declared.keys()].join(', ') || 'none';
        throw new GatewayError('VALIDATION_FAILED', `unknown argument '${name}' (declared: ${known})`, {
          field: name,
        });
      }
    }
    for (const arg of prompt.arguments) {
      if (arg.required && args[arg.name] === undefined) {
        throw new GatewayError('UNPROCESSABLE', `required argument '${arg.name}' is missing`, {
          field: arg.name,
        });
      }
    }
    const text = await this.renderer.render(prompt.template, args);
    return { description: prompt.description, messages: [{ role: 'user', content: { type: 'text', text } }] };
  }

  /** Drops cached copies after a change made elsewhere (gateway rename, sync). */
  async invalidateRows(rows: readonly PromptRow[]): Promise<void> {
    await this.#invalidate(...rows);
  }

  #invalidate(...rows: PromptRow[]): Promise<void> {
    return invalidateMembers(
      this.ctx.cache,
      rows.flatMap((r) => [promptKeys.id(r.id), promptKeys.name(r.name)]),
    );
  }

  #checkTemplate(template: string, required: boolean): void {
    const size = Buffer.byteLength(template, 'utf8');
    if (size > this.ctx.config.CONTENT_MAX_PROMPT_SIZE) {
      throw new GatewayError(
        'PAYLOAD_TOO_LARGE',
        `template is ${size} bytes, over CONTENT_MAX_PROMPT_SIZE (${this.ctx.config.CONTENT_MAX_PROMPT_SIZE})`,
        {
          field: 'template',
        },
      );
    }
    if (required && template.trim() === '')
      throw new GatewayError('VALIDATION_FAILED', 'template must not be empty', { field: 'template' });
    validateTemplate(template);
  }

  async #assertNameFree(db: Kysely<Database>, name: string, exceptId: string | null): Promise<void> {
    assertUnused(await promptRepository.findByName(db, name), exceptId, 'prompt', 'name', name);
  }
}
