import type { Insertable, Kysely } from 'kysely';
import type { Database, ResourcesTable } from '../../db/schema.js';
import { GatewayError, notFound } from '../../errors.js';
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
import { toBool } from '../common/json-column.js';
import { slugify } from '../common/naming.js';
import { type ListFilter, type Page, toPage } from '../common/pagination.js';
import { inTransaction } from '../common/transaction.js';
import type { RegistryContext } from '../registry-context.js';
import { type ResourceInfoRow, type ResourceRow, resourceRepository } from './resource-repository.js';
import type { ResourceCreate, ResourceOutput, ResourceUpdate } from './resource-schemas.js';

/** Cache keys of a resource (metadata only; content is read from storage). */
export const resourceKeys = {
  id: (id: string) => `resource:id:${id}`,
  uri: (uri: string) => `resource:uri:${uri}`,
};

/** Resource content as MCP returns it. */
export interface ResourceContent {
  uri: string;
  mime_type: string | null;
  text?: string;
  blob?: string;
}

/** Maps a stored row to the API metadata shape. */
export function toResourceOutput(row: ResourceInfoRow): ResourceOutput {
  const template = toBool(row.is_template);
  // Object.assign onto the common fields, not a spread: cheaper for lists of many rows.
  return Object.assign(commonOutput(row), {
    uri: row.uri,
    uri_template: template ? row.uri : null,
    name: row.name,
    title: row.title,
    mime_type: row.mime_type,
    size: row.size === null ? null : Number(row.size),
    gateway_id: row.gateway_id,
  });
}

/** The content of a row, or null for templates and content-less resources. */
export function toResourceContent(row: ResourceRow): ResourceContent | null {
  if (row.text_content !== null) return { uri: row.uri, mime_type: row.mime_type, text: row.text_content };
  if (row.binary_content !== null) {
    return {
      uri: row.uri,
      mime_type: row.mime_type,
      blob: Buffer.from(row.binary_content).toString('base64'),
    };
  }
  return null;
}

/** The resource registry: URIs and templates, text or binary content within `CONTENT_MAX_RESOURCE_SIZE`. */
export class ResourceService {
  /** @param ctx storage, cache, secret box and settings shared by the registries */
  constructor(private readonly ctx: RegistryContext) {}

  /** A page of entities ordered by name, then id, after the filter. */
  async list(filter: ListFilter): Promise<Page<ResourceOutput>> {
    const rows = await resourceRepository.list(this.ctx.db, filter);
    return toPage(rows, filter.limit, toResourceOutput, (r) => ({ key: r.name, id: r.id }));
  }

  /** Metadata of one resource (cached). @throws GatewayError NOT_FOUND */
  async get(id: string): Promise<ResourceOutput> {
    return getCachedOrThrow(this.ctx.cache, resourceKeys.id(id), 'resource', id, async () => {
      const row = await resourceRepository.findInfoById(this.ctx.db, id);
      return row ? toResourceOutput(row) : undefined;
    });
  }

  /** Metadata and content of one resource. @throws GatewayError NOT_FOUND */
  async read(id: string): Promise<ResourceOutput & { content: ResourceContent | null }> {
    const row = await resourceRepository.findById(this.ctx.db, id);
    if (!row) throw notFound('resource', id);
    return { ...toResourceOutput(row), content: toResourceContent(row) };
  }

  /** Metadata by URI (cached), for the MCP engine. */
  findByUri(uri: string): Promise<ResourceOutput | undefined> {
    return this.ctx.cache.getOrLoad(resourceKeys.uri(uri), async () => {
      const row = await resourceRepository.findByUri(this.ctx.db, uri);
      return row ? toResourceOutput(row) : undefined;
    });
  }

  /** @throws GatewayError PAYLOAD_TOO_LARGE, UNPROCESSABLE, CONFLICT */
  async create(input: ResourceCreate, actor: Actor): Promise<ResourceOutput> {
    const row = await inTransaction(this.ctx.db, 'resource', (db) => this.createIn(db, input, actor));
    // The invalidation is every replica's change feed (`resources/list_changed`), not a cache need.
    await this.ctx.cache.invalidate(resourceKeys.id(row.id), resourceKeys.uri(row.uri));
    return toResourceOutput(row);
  }

  /** Creates a resource inside a caller's transaction. */
  async createIn(
    db: Kysely<Database>,
    input: ResourceCreate & { id?: string },
    actor: Actor,
  ): Promise<ResourceRow> {
    const uri = (input.uri ?? input.uri_template)!;
    await referencedGatewaySlug(db, input.gateway_id ?? null); // 422 when the gateway does not exist
    await this.#assertUriFree(db, uri, null);
    const content = this.#content(input);
    const row: Insertable<ResourcesTable> = {
      id: input.id ?? newId(),
      slug: slugify(input.name) || 'resource',
      ...commonInsert(input, actor),
      uri,
      is_template: input.uri_template !== undefined ? 1 : 0,
      name: input.name,
      title: input.title ?? null,
      mime_type:
        input.mime_type ??
        (input.content !== undefined
          ? 'text/plain'
          : input.blob !== undefined
            ? 'application/octet-stream'
            : null),
      text_content: content?.text ?? null,
      binary_content: content?.binary ?? null,
      size: content?.size ?? null,
      gateway_id: input.gateway_id ?? null,
    };
    await resourceRepository.insert(db, row);
    return (await resourceRepository.findById(db, row.id))!;
  }

  /** @throws GatewayError NOT_FOUND, PAYLOAD_TOO_LARGE, UNPROCESSABLE, CONFLICT */
  async update(id: string, input: ResourceUpdate, actor: Actor): Promise<ResourceOutput> {
    const { before, row } = await updateInTransaction(
      this.ctx.db,
      'resource',
      id,
      resourceRepository.findById,
      (db, found) => this.updateIn(db, found, input, actor),
    );
    await this.#invalidate(before, row);
    return toResourceOutput(row);
  }

  /** Updates a loaded row inside a caller's transaction. */
  async updateIn(
    db: Kysely<Database>,
    before: ResourceRow,
    input: ResourceUpdate,
    actor: Actor,
  ): Promise<ResourceRow> {
    const template =
      input.uri_template !== undefined ? true : input.uri !== undefined ? false : toBool(before.is_template);
    const uri = input.uri_template ?? input.uri ?? before.uri;
    if (uri !== before.uri) await this.#assertUriFree(db, uri, before.id);
    if (input.gateway_id !== undefined) await referencedGatewaySlug(db, input.gateway_id); // 422 if unknown
    if (template && (input.content !== undefined || input.blob !== undefined)) {
      throw new GatewayError('VALIDATION_FAILED', 'a resource template has no content of its own', {
        field: 'content',
      });
    }
    const content = this.#content(input);
    await resourceRepository.update(db, before.id, {
      ...updatedAudit(actor, Number(before.version)),
      uri,
      is_template: template ? 1 : 0,
      ...(input.name !== undefined ? { name: input.name, slug: slugify(input.name) || 'resource' } : {}),
      ...(input.title !== undefined ? { title: input.title } : {}),
      ...(input.mime_type !== undefined ? { mime_type: input.mime_type } : {}),
      ...(content ? { text_content: content.text, binary_content: content.binary, size: content.size } : {}),
      ...(template ? { text_content: null, binary_content: null, size: null } : {}),
      ...(input.gateway_id !== undefined ? { gateway_id: input.gateway_id } : {}),
      ...commonPatch(input),
    });
    return (await resourceRepository.findById(db, before.id))!;
  }

  /** Enables or disables (`POST …/{id}/state?activate=`); bumps version. @throws GatewayError NOT_FOUND */
  setEnabled(id: string, enabled: boolean, actor: Actor): Promise<ResourceOutput> {
    return this.update(id, { enabled }, actor);
  }

  /** @throws GatewayError NOT_FOUND */
  async delete(id: string): Promise<void> {
    const before = await deleteInTransaction(
      this.ctx.db,
      'resource',
      id,
      resourceRepository.findInfoById,
      resourceRepository.delete,
    );
    await this.#invalidate(before);
  }

  /** Drops cached copies after a change made elsewhere. */
  async invalidateRows(rows: readonly ResourceInfoRow[]): Promise<void> {
    await this.#invalidate(...rows);
  }

  #invalidate(...rows: ResourceInfoRow[]): Promise<void> {
    return invalidateMembers(
      this.ctx.cache,
      rows.flatMap((r) => [resourceKeys.id(r.id), resourceKeys.uri(r.uri)]),
    );
  }

  #content(input: {
    content?: string | undefined;
    blob?: string | undefined;
  }): { text: string | null; binary: Buffer | null; size: number } | undefined {
    if (input.content === undefined && input.blob === undefined) return undefined;
    const binary = input.blob !== undefined ? Buffer.from(input.blob, 'base64') : null;
    const size = binary ? binary.length : Buffer.byteLength(input.content ?? '', 'utf8');
    const limit = this.ctx.config.CONTENT_MAX_RESOURCE_SIZE;
    if (size > limit) {
      throw new GatewayError(
        'PAYLOAD_TOO_LARGE',
        `resource content is ${size} bytes, over CONTENT_MAX_RESOURCE_SIZE (${limit})`,
        {
          field: binary ? 'blob' : 'content',
        },
      );
    }
    return { text: binary ? null : (input.content ?? ''), binary, size };
  }

  async #assertUriFree(db: Kysely<Database>, uri: string, exceptId: string | null): Promise<void> {
    assertUnused(await resourceRepository.findByUri(db, uri), exceptId, 'resource', 'uri', uri);
  }
}
