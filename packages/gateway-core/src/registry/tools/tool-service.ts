import type { Insertable, Kysely } from 'kysely';
import type { Database, ToolsTable } from '../../db/schema.js';
import { GatewayError, notFound } from '../../errors.js';
import { type AuthSettings, buildAuth, hasAuthInput, openAuth, sealAuth } from '../auth/auth-settings.js';
import { type Actor, updatedAudit } from '../common/actor.js';
import { commonInsert, commonPatch } from '../common/common-columns.js';
import {
  assertUnused,
  deleteInTransaction,
  getCachedOrThrow,
  invalidateMembers,
  updateInTransaction,
} from '../common/entity-ops.js';
import { referencedGatewaySlug } from '../common/gateway-ref.js';
import { newId } from '../common/ids.js';
import { toJson } from '../common/json-column.js';
import { assertToolName, composeName, slugify } from '../common/naming.js';
import { type ListFilter, type Page, toPage } from '../common/pagination.js';
import { inTransaction } from '../common/transaction.js';
import type { RegistryContext } from '../registry-context.js';
import { toToolOutput } from './tool-mapper.js';
import { type ToolRow, toolRepository } from './tool-repository.js';
import { isRestMethod, type ToolCreate, type ToolOutput, type ToolUpdate } from './tool-schemas.js';

const DEFAULT_INPUT_SCHEMA = { type: 'object', properties: {} };

/** Cache keys of a tool. */
export const toolKeys = {
  id: (id: string) => `tool:id:${id}`,
  name: (name: string) => `tool:name:${name}`,
};

/**
 * Business rules of the tool registry: naming (`<gateway-slug><sep><name>`, MCP name rule, uniqueness),
 * REST/MCP consistency, encrypted credentials, versioning, cache invalidation. Each write is one
 * transaction.
 */
export class ToolService {
  /** @param ctx storage, cache, secret box and settings shared by the registries */
  constructor(private readonly ctx: RegistryContext) {}

  /** A page of tools ordered by name. */
  async list(filter: ListFilter): Promise<Page<ToolOutput>> {
    const rows = await toolRepository.list(this.ctx.db, filter);
    return toPage(
      rows,
      filter.limit,
      (r) => toToolOutput(r, this.ctx.box),
      (r) => ({ key: r.name, id: r.id }),
    );
  }

  /**
   * One tool by id (cached).
   *
   * @throws GatewayError NOT_FOUND
   */
  async get(id: string): Promise<ToolOutput> {
    return getCachedOrThrow(this.ctx.cache, toolKeys.id(id), 'tool', id, async () => {
      const row = await toolRepository.findById(this.ctx.db, id);
      return row ? toToolOutput(row, this.ctx.box) : undefined;
    });
  }

  /** One tool by its exposed name (cached), or undefined: the MCP engine's lookup. */
  async findByName(name: string): Promise<ToolOutput | undefined> {
    return this.ctx.cache.getOrLoad(toolKeys.name(name), async () => {
      const row = await toolRepository.findByName(this.ctx.db, name);
      return row ? toToolOutput(row, this.ctx.box) : undefined;
    });
  }

  /** Decrypted outbound credentials of a tool (for invoking it), or null. */
  async credentials(id: string): Promise<AuthSettings | null> {
    const row = await toolRepository.findById(this.ctx.db, id);
    if (!row) throw notFound('tool', id);
    return openAuth(row.auth_value, this.ctx.box);
  }

  /**
   * Creates a tool.
   *
   * @throws GatewayError VALIDATION_FAILED (name rule, REST without url), UNPROCESSABLE (unknown gateway_id),
   *   CONFLICT (name taken)
   */
  async create(input: ToolCreate, actor: Actor): Promise<ToolOutput> {
    const row = await inTransaction(this.ctx.db, 'tool', (db) => this.createIn(db, input, actor));
    // Nothing cached names a new tool, but the invalidation is every replica's change feed: without it
    // no MCP session would hear `tools/list_changed`.
    await this.ctx.cache.invalidate(toolKeys.id(row.id), toolKeys.name(row.name));
    return toToolOutput(row, this.ctx.box);
  }

  /** Creates a tool inside a caller's transaction (import uses this). */
  async createIn(
    db: Kysely<Database>,
    input: ToolCreate & { id?: string; original_name?: string },
    actor: Actor,
  ): Promise<ToolRow> {
    const slug = await referencedGatewaySlug(db, input.gateway_id ?? null);
    const name = composeName(slug, this.ctx.config.GATEWAY_TOOL_NAME_SEPARATOR, input.name);
    assertToolName(name, 'name');
    await this.#assertNameFree(db, name, null);
    const integration = input.integration_type ?? (input.gateway_id ? 'MCP' : 'REST');
    const requestType = input.request_type ?? (integration === 'REST' ? 'POST' : 'STREAMABLEHTTP');
    this.#checkIntegration(integration, requestType, input.url ?? null);
    const auth = buildAuth(input, null);
    const row: Insertable<ToolsTable> = {
      id: input.id ?? newId(),
      slug: slugify(input.name) || input.name.toLowerCase(),
      ...commonInsert(input, actor),
      name,
      original_name: input.original_name ?? input.name,
      custom_name: input.name,
      title: input.title ?? null,
      integration_type: integration,
      request_type: requestType,
      url: input.url ?? null,
      headers: toJson(input.headers ?? {}),
      input_schema: toJson(input.input_schema ?? DEFAULT_INPUT_SCHEMA),
      output_schema: input.output_schema ? toJson(input.output_schema) : null,
      annotations: toJson(input.annotations ?? {}),
      jsonpath_filter: input.jsonpath_filter ?? null,
      auth_type: auth?.type ?? null,
      auth_value: sealAuth(auth, this.ctx.box),
      gateway_id: input.gateway_id ?? null,
    };
    await toolRepository.insert(db, row);
    return (await toolRepository.findById(db, row.id))!;
  }

  /**
   * Updates the given fields and bumps `version`.
   *
   * @throws GatewayError NOT_FOUND, VALIDATION_FAILED, UNPROCESSABLE, CONFLICT
   */
  async update(id: string, input: ToolUpdate, actor: Actor): Promise<ToolOutput> {
    const { before, row } = await updateInTransaction(
      this.ctx.db,
      'tool',
      id,
      toolRepository.findById,
      (db, found) => this.updateIn(db, found, input, actor),
    );
    await this.#invalidate(before, row);
    return toToolOutput(row, this.ctx.box);
  }

  /** Updates a loaded row inside a caller's transaction. */
  async updateIn(db: Kysely<Database>, before: ToolRow, input: ToolUpdate, actor: Actor): Promise<ToolRow> {
    const gatewayId = input.gateway_id === undefined ? before.gateway_id : input.gateway_id;
    const customName = input.custom_name ?? input.name ?? before.custom_name;
    const slug = await referencedGatewaySlug(db, gatewayId);
    const name = composeName(slug, this.ctx.config.GATEWAY_TOOL_NAME_SEPARATOR, customName);
    assertToolName(name, input.custom_name ? 'custom_name' : 'name');
    if (name !== before.name) await this.#assertNameFree(db, name, before.id);
    const integration = input.integration_type ?? before.integration_type;
    const requestType = input.request_type ?? before.request_type;
    const url = input.url === undefined ? before.url : input.url;
    this.#checkIntegration(integration, requestType, url);
    const authChanged = hasAuthInput(input);
    const auth = authChanged ? buildAuth(input, openAuth(before.auth_value, this.ctx.box)) : undefined;
    await toolRepository.update(db, before.id, {
      ...updatedAudit(actor, Number(before.version)),
      name,
      custom_name: customName,
      slug: slugify(customName) || customName.toLowerCase(),
      gateway_id: gatewayId,
      integration_type: integration,
      request_type: requestType,
      url,
      ...(input.title !== undefined ? { title: input.title } : {}),
      ...(input.headers !== undefined ? { headers: toJson(input.headers) } : {}),
      ...(input.input_schema !== undefined ? { input_schema: toJson(input.input_schema) } : {}),
      ...(input.output_schema !== undefined
        ? { output_schema: input.output_schema ? toJson(input.output_schema) : null }
        : {}),
      ...(input.annotations !== undefined ? { annotations: toJson(input.annotations) } : {}),
      ...(input.jsonpath_filter !== undefined ? { jsonpath_filter: input.jsonpath_filter } : {}),
      ...commonPatch(input),
      ...(auth !== undefined
        ? { auth_type: auth?.type ?? null, auth_value: sealAuth(auth, this.ctx.box) }
        : {}),
    });
    return (await toolRepository.findById(db, before.id))!;
  }

  /** Enables or disables a tool (`POST /v1/tools/{id}/state?activate=`). */
  setEnabled(id: string, enabled: boolean, actor: Actor): Promise<ToolOutput> {
    return this.update(id, { enabled }, actor);
  }

  /**
   * Deletes a tool (and its virtual-server memberships).
   *
   * @throws GatewayError NOT_FOUND
   */
  async delete(id: string): Promise<void> {
    const before = await deleteInTransaction(
      this.ctx.db,
      'tool',
      id,
      toolRepository.findById,
      toolRepository.delete,
    );
    await this.#invalidate(before);
  }

  /** Drops cached copies of tools (after a change made elsewhere, e.g. a gateway rename or sync). */
  async invalidateRows(rows: readonly ToolRow[]): Promise<void> {
    await this.#invalidate(...rows);
  }

  #invalidate(...rows: ToolRow[]): Promise<void> {
    return invalidateMembers(
      this.ctx.cache,
      rows.flatMap((r) => [toolKeys.id(r.id), toolKeys.name(r.name)]),
    );
  }

  async #assertNameFree(db: Kysely<Database>, name: string, exceptId: string | null): Promise<void> {
    assertUnused(await toolRepository.findByName(db, name), exceptId, 'tool', 'name', name);
  }

  #checkIntegration(integration: string, requestType: string, url: string | null): void {
    if ((integration === 'REST') !== isRestMethod(requestType)) {
      throw new GatewayError(
        'VALIDATION_FAILED',
        `request_type ${requestType} does not fit integration_type ${integration} (REST: GET|POST|PUT|DELETE|PATCH; MCP: SSE|STREAMABLEHTTP|STDIO)`,
        { field: 'request_type' },
      );
    }
    if (integration === 'REST' && !url) {
      throw new GatewayError('VALIDATION_FAILED', 'url is required for a REST tool', { field: 'url' });
    }
  }
}
