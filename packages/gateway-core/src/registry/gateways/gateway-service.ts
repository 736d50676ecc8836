import type { Insertable, Kysely } from 'kysely';
import type { Database, GatewaysTable } from '../../db/schema.js';
import { conflict, GatewayError, notFound } from '../../errors.js';
import { type AuthSettings, buildAuth, hasAuthInput, openAuth, sealAuth } from '../auth/auth-settings.js';
import { type Actor, nowIso, updatedAudit } from '../common/actor.js';
import { commonInsert, commonPatch } from '../common/common-columns.js';
import { assertUnused, getCachedOrThrow, updateInTransaction } from '../common/entity-ops.js';
import { newId } from '../common/ids.js';
import { toJson } from '../common/json-column.js';
import { slugify } from '../common/naming.js';
import { type ListFilter, type Page, toPage } from '../common/pagination.js';
import { SERVER_CACHE_PREFIX } from '../common/registry-cache.js';
import { inTransaction } from '../common/transaction.js';
import { promptRepository } from '../prompts/prompt-repository.js';
import { promptKeys } from '../prompts/prompt-service.js';
import type { RegistryContext } from '../registry-context.js';
import { toolRepository } from '../tools/tool-repository.js';
import { toolKeys } from '../tools/tool-service.js';
import { toGatewayOutput } from './gateway-mapper.js';
import { promptMembers, reprefixMembers, toolMembers } from './gateway-members.js';
import { type GatewayRow, gatewayNamePrefix, gatewayRepository } from './gateway-repository.js';
import type { GatewayCreate, GatewayOutput, GatewayUpdate } from './gateway-schemas.js';

/** Cache keys of a gateway. */
export const gatewayKeys = { id: (id: string) => `gateway:id:${id}` };

/** The outcome of one health check, as the MCP engine reports it. */
export interface HealthResult {
  reachable: boolean;
  /** Why the check failed (no secrets). */
  error?: string;
  /** When the check ran (default: now). */
  at?: string;
}

/** A change made through this service (the upstream manager connects, rediscovers or disconnects). */
export interface GatewayChange {
  kind: 'created' | 'updated' | 'deleted';
  id: string;
}

/** Reacts to a gateway change; awaited before the REST call answers (so discovery results are in it). */
export type GatewayChangeListener = (change: GatewayChange) => Promise<void>;

/**
 * The gateway registry: upstream MCP servers, stored and validated here (connecting and discovery belong
 * to the MCP engine). Credentials are stored encrypted; the slug (from the name) prefixes the gateway's
 * tools and prompts unless `prefix_names` is off, so a rename (or turning the prefix on or off) renames
 * them in the same transaction.
 */
export class GatewayService {
  readonly #listeners = new Set<GatewayChangeListener>();

  /** @param ctx storage, cache, secret box and settings shared by the registries */
  constructor(private readonly ctx: RegistryContext) {}

  /**
   * Registers a listener of creates, updates (state toggles included) and deletes made through this
   * service on this replica; returns its removal. Listener failures are theirs to report: they are
   * logged and never undo the change.
   */
  onChange(listener: GatewayChangeListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async #emit(change: GatewayChange): Promise<void> {
    for (const listener of this.#listeners) {
      try {
        await listener(change);
      } catch (error) {
        this.ctx.logger.warn(
          { err: (error as Error).message, gateway: change.id },
          'gateway change listener failed',
        );
      }
    }
  }

  /** A page of entities ordered by name, then id, after the filter. */
  async list(filter: ListFilter): Promise<Page<GatewayOutput>> {
    const rows = await gatewayRepository.list(this.ctx.db, filter);
    return toPage(
      rows,
      filter.limit,
      (r) => toGatewayOutput(r, this.ctx.box),
      (r) => ({ key: r.name, id: r.id }),
    );
  }

  /** @throws GatewayError NOT_FOUND */
  async get(id: string): Promise<GatewayOutput> {
    return getCachedOrThrow(this.ctx.cache, gatewayKeys.id(id), 'gateway', id, async () => {
      const row = await gatewayRepository.findById(this.ctx.db, id);
      return row ? toGatewayOutput(row, this.ctx.box) : undefined;
    });
  }

  /** Decrypted credentials for connecting to the upstream. @throws GatewayError NOT_FOUND, CRYPTO_FAILED */
  async credentials(id: string): Promise<AuthSettings | null> {
    const row = await gatewayRepository.findById(this.ctx.db, id);
    if (!row) throw notFound('gateway', id);
    return openAuth(row.auth_value, this.ctx.box);
  }

  /**
   * Creates a gateway; `input.id` (library callers only: the REST body has none) fixes its id in advance.
   * @throws GatewayError VALIDATION_FAILED, CONFLICT
   */
  async create(input: GatewayCreate & { id?: string }, actor: Actor): Promise<GatewayOutput> {
    const row = await inTransaction(this.ctx.db, 'gateway', (db) => this.createIn(db, input, actor));
    if (this.#listeners.size === 0) return toGatewayOutput(row, this.ctx.box);
    await this.#emit({ kind: 'created', id: row.id });
    return this.get(row.id);
  }

  /** Creates a gateway inside a caller's transaction (import uses this). */
  async createIn(
    db: Kysely<Database>,
    input: GatewayCreate & { id?: string },
    actor: Actor,
  ): Promise<GatewayRow> {
    const transport = input.transport ?? 'SSE';
    this.#checkTransport(transport, input.url ?? null, input.command ?? null);
    const slug = this.#slug(input.name);
    await this.#assertFree(db, input.name, slug, null);
    const auth = buildAuth(input, null);
    const row: Insertable<GatewaysTable> = {
      id: input.id ?? newId(),
      slug,
      ...commonInsert(input, actor),
      name: input.name,
      url: input.url ?? null,
      transport,
      command: input.command ?? null,
      args: toJson(input.args ?? []),
      auth_type: auth?.type ?? null,
      auth_value: sealAuth(auth, this.ctx.box),
      headers: toJson(input.headers ?? {}),
      passthrough_headers: input.passthrough_headers ? toJson(input.passthrough_headers) : null,
      prefix_names: input.prefix_names === false ? 0 : 1,
      capabilities: toJson({}),
      reachable: 0,
      last_seen: null,
      last_health_check: null,
      consecutive_failures: 0,
      last_error: null,
    };
    await gatewayRepository.insert(db, row);
    return (await gatewayRepository.findById(db, row.id))!;
  }

  /** @throws GatewayError NOT_FOUND, VALIDATION_FAILED, CONFLICT (name, slug, or a re-prefixed tool name) */
  async update(id: string, input: GatewayUpdate, actor: Actor): Promise<GatewayOutput> {
    const keys: string[] = [gatewayKeys.id(id)];
    const { row } = await updateInTransaction(
      this.ctx.db,
      'gateway',
      id,
      gatewayRepository.findById,
      (db, before) => this.updateIn(db, before, input, actor, keys),
    );
    await this.ctx.cache.invalidate(...keys);
    // A rename or prefix change renamed this gateway's tools, which cached server member lists show.
    if (keys.length > 1) await this.ctx.cache.invalidatePrefix(SERVER_CACHE_PREFIX);
    if (this.#listeners.size === 0) return toGatewayOutput(row, this.ctx.box);
    await this.#emit({ kind: 'updated', id });
    return this.get(id);
  }

  /** Updates a loaded row in a caller's transaction; cache keys to drop afterwards are added to `staleKeys`. */
  async updateIn(
    db: Kysely<Database>,
    before: GatewayRow,
    input: GatewayUpdate,
    actor: Actor,
    staleKeys: string[],
  ): Promise<GatewayRow> {
    const transport = input.transport ?? before.transport;
    const url = input.url === undefined ? before.url : input.url;
    const command = input.command === undefined ? before.command : input.command;
    this.#checkTransport(transport, url, command);
    const name = input.name ?? before.name;
    const slug = input.name !== undefined ? this.#slug(name) : before.slug;
    if (name !== before.name || slug !== before.slug) await this.#assertFree(db, name, slug, before.id);
    const prefixNames =
      input.prefix_names === undefined ? Number(before.prefix_names) : input.prefix_names ? 1 : 0;
    const prefix = gatewayNamePrefix({ slug, prefix_names: prefixNames });
    if (prefix !== gatewayNamePrefix(before)) await this.#reprefix(db, before.id, prefix, staleKeys);
    const auth = hasAuthInput(input)
      ? buildAuth(input, openAuth(before.auth_value, this.ctx.box))
      : undefined;
    await gatewayRepository.update(db, before.id, {
      ...updatedAudit(actor, Number(before.version)),
      name,
      slug,
      prefix_names: prefixNames,
      url,
      transport,
      command,
      ...(input.args !== undefined ? { args: toJson(input.args) } : {}),
      ...(input.headers !== undefined ? { headers: toJson(input.headers) } : {}),
      ...(input.passthrough_headers !== undefined
        ? { passthrough_headers: input.passthrough_headers ? toJson(input.passthrough_headers) : null }
        : {}),
      ...(auth !== undefined
        ? { auth_type: auth?.type ?? null, auth_value: sealAuth(auth, this.ctx.box) }
        : {}),
      ...commonPatch(input),
    });
    return (await gatewayRepository.findById(db, before.id))!;
  }

  /** Enables or disables (`POST …/{id}/state?activate=`); bumps version. @throws GatewayError NOT_FOUND */
  setEnabled(id: string, enabled: boolean, actor: Actor): Promise<GatewayOutput> {
    return this.update(id, { enabled }, actor);
  }

  /** Deletes a gateway with its tools, resources and prompts. @throws GatewayError NOT_FOUND */
  async delete(id: string): Promise<void> {
    const keys = await inTransaction(this.ctx.db, 'gateway', async (db) => {
      const row = await gatewayRepository.findById(db, id);
      if (!row) throw notFound('gateway', id);
      const tools = await toolRepository.listByGateway(db, id);
      const prompts = await promptRepository.listByGateway(db, id);
      await gatewayRepository.delete(db, id);
      return [
        gatewayKeys.id(id),
        ...tools.flatMap((t) => [toolKeys.id(t.id), toolKeys.name(t.name)]),
        ...prompts.flatMap((p) => [promptKeys.id(p.id), promptKeys.name(p.name)]),
      ];
    });
    // Resources are keyed by id and uri; drop the whole resource namespace rather than list them first.
    await this.ctx.cache.invalidate(...keys);
    await this.ctx.cache.invalidatePrefix('resource:');
    await this.ctx.cache.invalidatePrefix(SERVER_CACHE_PREFIX);
    await this.#emit({ kind: 'deleted', id });
  }

  /**
   * Records a health check: success marks the gateway reachable and resets the failure count; a failure
   * increments it and marks the gateway unreachable once `unhealthyThreshold` consecutive checks failed.
   *
   * @returns the updated gateway
   * @throws GatewayError NOT_FOUND
   */
  async markHealth(id: string, result: HealthResult, unhealthyThreshold: number): Promise<GatewayOutput> {
    const at = result.at ?? nowIso();
    const row = await inTransaction(this.ctx.db, 'gateway', async (db) => {
      const before = await gatewayRepository.findById(db, id);
      if (!before) throw notFound('gateway', id);
      const failures = result.reachable ? 0 : Number(before.consecutive_failures) + 1;
      await gatewayRepository.update(db, id, {
        last_health_check: at,
        consecutive_failures: failures,
        ...(result.reachable
          ? { reachable: 1, last_seen: at, last_error: null }
          : {
              last_error: (result.error ?? 'health check failed').slice(0, 2000),
              ...(failures >= unhealthyThreshold ? { reachable: 0 } : {}),
            }),
      });
      return (await gatewayRepository.findById(db, id))!;
    });
    await this.ctx.cache.invalidate(gatewayKeys.id(id));
    return toGatewayOutput(row, this.ctx.box);
  }

  /** Renames the gateway's tools and prompts for a new name prefix (null: none). */
  async #reprefix(
    db: Kysely<Database>,
    gatewayId: string,
    slug: string | null,
    staleKeys: string[],
  ): Promise<void> {
    const sep = this.ctx.config.GATEWAY_TOOL_NAME_SEPARATOR;
    await reprefixMembers(db, toolMembers, gatewayId, slug, sep, staleKeys);
    await reprefixMembers(db, promptMembers, gatewayId, slug, sep, staleKeys);
  }

  #slug(name: string): string {
    const slug = slugify(name);
    if (!slug)
      throw new GatewayError(
        'VALIDATION_FAILED',
        `name '${name}' has no letters or digits to make a slug from`,
        { field: 'name' },
      );
    return slug;
  }

  #checkTransport(transport: string, url: string | null, command: string | null): void {
    if (transport === 'REVERSEPROXY') {
      // The tunnel is the address: nothing to dial, nothing to spawn.
      for (const [field, value] of [
        ['url', url],
        ['command', command],
      ] as const) {
        if (value)
          throw new GatewayError(
            'VALIDATION_FAILED',
            `${field} must be empty when transport is REVERSEPROXY (the gateway is reached through its reverse-proxy tunnel)`,
            { field },
          );
      }
      return;
    }
    if (transport === 'STDIO') {
      if (!command)
        throw new GatewayError('VALIDATION_FAILED', 'command is required when transport is STDIO', {
          field: 'command',
        });
      if (url)
        throw new GatewayError('VALIDATION_FAILED', 'url must be empty when transport is STDIO', {
          field: 'url',
        });
      return;
    }
    if (!url)
      throw new GatewayError('VALIDATION_FAILED', `url is required when transport is ${transport}`, {
        field: 'url',
      });
    const ws = /^wss?:/.test(url);
    if (ws !== (transport === 'WEBSOCKET')) {
      throw new GatewayError(
        'VALIDATION_FAILED',
        `url scheme ${new URL(url).protocol} does not fit transport ${transport} (WEBSOCKET: ws/wss; SSE, STREAMABLEHTTP: http/https)`,
        { field: 'url' },
      );
    }
    if (command)
      throw new GatewayError('VALIDATION_FAILED', 'command is only used when transport is STDIO', {
        field: 'command',
      });
  }

  async #assertFree(
    db: Kysely<Database>,
    name: string,
    slug: string,
    exceptId: string | null,
  ): Promise<void> {
    assertUnused(await gatewayRepository.findByName(db, name), exceptId, 'gateway', 'name', name);
    const bySlug = await gatewayRepository.findBySlug(db, slug);
    if (bySlug && bySlug.id !== exceptId) {
      throw conflict(
        `gateway name '${name}' makes the slug '${slug}', which gateway '${bySlug.name}' (${bySlug.id}) already uses`,
        'name',
      );
    }
  }
}
