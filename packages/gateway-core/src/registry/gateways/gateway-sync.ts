import type { Insertable, Kysely, Selectable } from 'kysely';
import type { Database, PromptsTable, ToolsTable } from '../../db/schema.js';
import { GatewayError, notFound } from '../../errors.js';
import { type Actor, nowIso, updatedAudit } from '../common/actor.js';
import { commonInsert } from '../common/common-columns.js';
import { newId } from '../common/ids.js';
import { toJson } from '../common/json-column.js';
import { composeName, sanitizeToolName, slugify, TOOL_NAME_PATTERN } from '../common/naming.js';
import { SERVER_CACHE_PREFIX } from '../common/registry-cache.js';
import { inTransaction } from '../common/transaction.js';
import type { PromptRow } from '../prompts/prompt-repository.js';
import type { PromptArgument } from '../prompts/prompt-template.js';
import type { RegistryContext } from '../registry-context.js';
import { resourceRepository } from '../resources/resource-repository.js';
import { resourceKeys } from '../resources/resource-service.js';
import type { ToolRow } from '../tools/tool-repository.js';
import {
  type NamedMemberKind,
  type NamedMemberTable,
  promptMembers,
  toolMembers,
} from './gateway-members.js';
import { gatewayNamePrefix, gatewayRepository } from './gateway-repository.js';
import { gatewayKeys } from './gateway-service.js';

/** A tool as listed by an upstream (`tools/list`). */
export interface DiscoveredTool {
  name: string;
  title?: string | null;
  description?: string | null;
  input_schema?: Record<string, unknown>;
  output_schema?: Record<string, unknown> | null;
  annotations?: Record<string, unknown>;
  /** Federation path (ContextForge deployments the entry passes through) when the upstream is a peer gateway. */
  via?: string[] | null;
}

/** A resource or template as listed by an upstream. */
export interface DiscoveredResource {
  uri: string;
  name: string;
  title?: string | null;
  description?: string | null;
  mime_type?: string | null;
  is_template?: boolean;
  size?: number | null;
  /** Federation path (ContextForge deployments the entry passes through) when the upstream is a peer gateway. */
  via?: string[] | null;
}

/** A prompt as listed by an upstream (its template stays upstream; `prompts/get` is forwarded). */
export interface DiscoveredPrompt {
  name: string;
  title?: string | null;
  description?: string | null;
  arguments?: PromptArgument[];
  /** Federation path (ContextForge deployments the entry passes through) when the upstream is a peer gateway. */
  via?: string[] | null;
}

/** What discovery found; an omitted list leaves that kind untouched. */
export interface Discovery {
  tools?: DiscoveredTool[];
  resources?: DiscoveredResource[];
  prompts?: DiscoveredPrompt[];
  capabilities?: Record<string, unknown>;
}

/** Rows created, updated and removed for one kind. */
export interface SyncCounts {
  created: number;
  updated: number;
  removed: number;
}

/** The outcome of {@link syncDiscovered}. */
export interface SyncResult {
  tools: SyncCounts;
  resources: SyncCounts;
  prompts: SyncCounts;
}

const zero = (): SyncCounts => ({ created: 0, updated: 0, removed: 0 });

/**
 * Replaces a gateway's discovered tools, resources and prompts with what the upstream now lists, in one
 * transaction: new ones are created (named `<slug><sep><sanitised name>`, or the sanitised name alone when
 * the gateway's `prefix_names` is off), known ones (matched by their
 * upstream name or URI) updated in place keeping local edits (custom name, tags, enabled), vanished ones
 * removed. Name or URI collisions with other entities fail the whole sync with every clash listed.
 *
 * @throws GatewayError NOT_FOUND (gateway), CONFLICT (collisions), VALIDATION_FAILED (unusable names)
 */
export async function syncDiscovered(
  ctx: RegistryContext,
  gatewayId: string,
  discovery: Discovery,
  actor: Actor,
): Promise<SyncResult> {
  const stale: string[] = [gatewayKeys.id(gatewayId)];
  const result = await inTransaction(ctx.db, 'gateway', async (db) => {
    const gateway = await gatewayRepository.findById(db, gatewayId);
    if (!gateway) throw notFound('gateway', gatewayId);
    const clashes: string[] = [];
    const out: SyncResult = { tools: zero(), resources: zero(), prompts: zero() };
    const sep = ctx.config.GATEWAY_TOOL_NAME_SEPARATOR;
    const prefix = gatewayNamePrefix(gateway);
    if (discovery.tools)
      out.tools = await syncNamedMembers(
        db,
        gateway.id,
        prefix,
        sep,
        discoveredTools,
        discovery.tools,
        actor,
        clashes,
        stale,
      );
    if (discovery.prompts)
      out.prompts = await syncNamedMembers(
        db,
        gateway.id,
        prefix,
        sep,
        discoveredPrompts,
        discovery.prompts,
        actor,
        clashes,
        stale,
      );
    if (discovery.resources)
      out.resources = await syncResources(db, gateway.id, discovery.resources, actor, clashes, stale);
    if (clashes.length > 0) {
      throw new GatewayError(
        'CONFLICT',
        `discovery of gateway '${gateway.name}' collides with existing entities: ${clashes.join('; ')}`,
        {
          details: { collisions: clashes },
        },
      );
    }
    await gatewayRepository.update(db, gateway.id, {
      ...(discovery.capabilities ? { capabilities: toJson(discovery.capabilities) } : {}),
      reachable: 1,
      last_seen: nowIso(),
    });
    return out;
  });
  await ctx.cache.invalidate(...stale);
  // Virtual servers embed member lists; the invalidation also tells every replica's MCP sessions that lists
  // changed. A sync that changed nothing must stay silent: peers that register each other refresh on each
  // other's list_changed, and a notification per no-op refresh would never end.
  const changed = [result.tools, result.resources, result.prompts].some(
    (c) => c.created + c.updated + c.removed > 0,
  );
  if (changed) await ctx.cache.invalidatePrefix(SERVER_CACHE_PREFIX);
  return result;
}

/** The stored form of a federation path (null when the upstream is not a peer gateway). */
function viaJson(via: readonly string[] | null | undefined): string | null {
  return via === undefined || via === null || via.length === 0 ? null : toJson(via);
}

function exposedName(
  slug: string | null,
  sep: string,
  upstreamName: string,
  clashes: string[],
): string | undefined {
  const name = composeName(slug, sep, sanitizeToolName(upstreamName));
  if (!TOOL_NAME_PATTERN.test(name)) {
    clashes.push(
      `'${upstreamName}' cannot be exposed as a valid MCP name ('${name.slice(0, 140)}' breaks the 1–128 character rule)`,
    );
    return undefined;
  }
  return name;
}

/**
 * How discovered tools or prompts become rows: the columns discovery owns (compared to detect a change,
 * written on create and update) and the constant columns of a new row of the kind.
 */
interface DiscoveredKind<D extends { name: string }, R extends Selectable<NamedMemberTable>> {
  members: NamedMemberKind<R>;
  fields(found: D): Record<string, string | null>;
  newColumns: Record<string, unknown>;
}

const discoveredTools: DiscoveredKind<DiscoveredTool, ToolRow> = {
  members: toolMembers,
  fields: (tool) => ({
    title: tool.title ?? null,
    description: tool.description ?? null,
    input_schema: toJson(tool.input_schema ?? { type: 'object', properties: {} }),
    output_schema: tool.output_schema ? toJson(tool.output_schema) : null,
    annotations: toJson(tool.annotations ?? {}),
    federation_via: viaJson(tool.via),
  }),
  newColumns: {
    integration_type: 'MCP',
    request_type: 'STREAMABLEHTTP',
    url: null,
    headers: '{}',
    jsonpath_filter: null,
    auth_type: null,
    auth_value: null,
  } satisfies Partial<Insertable<ToolsTable>>,
};

const discoveredPrompts: DiscoveredKind<DiscoveredPrompt, PromptRow> = {
  members: promptMembers,
  fields: (prompt) => ({
    title: prompt.title ?? null,
    description: prompt.description ?? null,
    arguments: toJson(prompt.arguments ?? []),
    federation_via: viaJson(prompt.via),
  }),
  newColumns: { template: '' } satisfies Partial<Insertable<PromptsTable>>,
};

/** Syncs a gateway's tools or prompts (matched by upstream name) with what the upstream lists. */
async function syncNamedMembers<D extends { name: string }, R extends Selectable<NamedMemberTable>>(
  db: Kysely<Database>,
  gatewayId: string,
  slug: string | null,
  sep: string,
  { members, fields, newColumns }: DiscoveredKind<D, R>,
  found: D[],
  actor: Actor,
  clashes: string[],
  stale: string[],
): Promise<SyncCounts> {
  const { kind, repository, keys } = members;
  const counts = zero();
  const existing = new Map((await repository.listByGateway(db, gatewayId)).map((r) => [r.original_name, r]));
  const seen = new Set<string>();
  for (const item of found) {
    if (seen.has(item.name)) continue;
    seen.add(item.name);
    const columns = fields(item);
    const known = existing.get(item.name);
    if (known) {
      const stored = known as unknown as Record<string, unknown>;
      if (Object.keys(columns).some((k) => stored[k] !== columns[k])) {
        await repository.update(db, known.id, {
          ...columns,
          ...updatedAudit(actor, Number(known.version)),
        });
        stale.push(keys.id(known.id), keys.name(known.name));
        counts.updated += 1;
      }
      continue;
    }
    const name = exposedName(slug, sep, item.name, clashes);
    if (!name) continue;
    const taken = await repository.findByName(db, name);
    if (taken) {
      clashes.push(`${kind} '${name}' already exists (${taken.id})`);
      continue;
    }
    await repository.insert(db, {
      id: newId(),
      slug: slugify(item.name) || kind,
      ...commonInsert({}, actor),
      name,
      original_name: item.name,
      custom_name: sanitizeToolName(item.name),
      ...newColumns,
      gateway_id: gatewayId,
      ...columns,
    });
    stale.push(keys.name(name));
    counts.created += 1;
  }
  for (const [upstreamName, row] of existing) {
    if (seen.has(upstreamName)) continue;
    await repository.delete(db, row.id);
    stale.push(keys.id(row.id), keys.name(row.name));
    counts.removed += 1;
  }
  return counts;
}

async function syncResources(
  db: Kysely<Database>,
  gatewayId: string,
  found: DiscoveredResource[],
  actor: Actor,
  clashes: string[],
  stale: string[],
): Promise<SyncCounts> {
  const counts = zero();
  const existing = new Map((await resourceRepository.listByGateway(db, gatewayId)).map((r) => [r.uri, r]));
  const seen = new Set<string>();
  for (const resource of found) {
    if (seen.has(resource.uri)) continue;
    seen.add(resource.uri);
    if (resource.uri.length > 767) {
      clashes.push(`resource uri '${resource.uri.slice(0, 80)}…' is longer than 767 characters`);
      continue;
    }
    const fields = {
      name: resource.name,
      title: resource.title ?? null,
      description: resource.description ?? null,
      mime_type: resource.mime_type ?? null,
      is_template: resource.is_template ? 1 : 0,
      size: resource.size ?? null,
      federation_via: viaJson(resource.via),
    };
    const known = existing.get(resource.uri);
    if (known) {
      const changed = (Object.keys(fields) as Array<keyof typeof fields>).some(
        (k) => String(known[k]) !== String(fields[k]),
      );
      if (changed) {
        await resourceRepository.update(db, known.id, {
          ...fields,
          ...updatedAudit(actor, Number(known.version)),
        });
        stale.push(resourceKeys.id(known.id), resourceKeys.uri(known.uri));
        counts.updated += 1;
      }
      continue;
    }
    const taken = await resourceRepository.findByUri(db, resource.uri);
    if (taken) {
      clashes.push(`resource '${resource.uri}' already exists (${taken.id})`);
      continue;
    }
    await resourceRepository.insert(db, {
      id: newId(),
      slug: slugify(resource.name) || 'resource',
      ...commonInsert({}, actor),
      uri: resource.uri,
      text_content: null,
      binary_content: null,
      gateway_id: gatewayId,
      ...fields,
    });
    stale.push(resourceKeys.uri(resource.uri));
    counts.created += 1;
  }
  for (const [uri, row] of existing) {
    if (seen.has(uri)) continue;
    await resourceRepository.delete(db, row.id);
    stale.push(resourceKeys.id(row.id), resourceKeys.uri(row.uri));
    counts.removed += 1;
  }
  return counts;
}
