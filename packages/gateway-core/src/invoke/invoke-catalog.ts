import { isGatewayError } from '../errors.js';
import type { GatewayServices } from '../gateway.js';
import { McpError } from '../mcp/errors.js';
import { ErrorCode } from '../mcp/protocol.js';
import type { RequestContext } from '../mcp/types.js';
import { decodeCursor, type ListFilter, type Page } from '../registry/common/pagination.js';
import type { PromptOutput } from '../registry/prompts/prompt-schemas.js';
import type { ResourceOutput } from '../registry/resources/resource-schemas.js';
import type { ToolOutput } from '../registry/tools/tool-schemas.js';
import type { InvokeAccess } from './invoke-access.js';
import { unknownEntity } from './invoke-errors.js';
import { matchesUriTemplate } from './uri-template.js';

/** A tool as one scope exposes it: under its registry name, or a virtual server's alias. */
export interface ExposedTool {
  name: string;
  tool: ToolOutput;
}

/** Bound on the entities one MCP list returns (the registry's whole visible set, walked in pages). */
const MAX_LISTED = 10_000;

/**
 * What a request's scope and caller may see: a virtual server's members, or every visible enabled
 * entity for `/mcp`; entities of disabled gateways are hidden. Lookups by name answer "unknown" alike for
 * missing, invisible and disabled entities.
 */
export class InvokeCatalog {
  /** Server member lists are cached by the registry; their name indexes are cached here by identity. */
  readonly #toolIndex = new WeakMap<object, Map<string, ExposedTool>>();

  constructor(
    private readonly services: GatewayServices,
    private readonly access: InvokeAccess,
  ) {}

  /** Tools the caller may see in the request's scope. */
  async tools(ctx: RequestContext): Promise<ExposedTool[]> {
    if (ctx.scope.kind === 'server') {
      const index = await this.#serverTools(ctx.scope.serverId);
      const out: ExposedTool[] = [];
      for (const e of index.values()) if (await this.#usable(ctx, e.tool)) out.push(e);
      return out;
    }
    const all = await this.#walk((f) => this.services.tools.list(f), ctx);
    const out: ExposedTool[] = [];
    for (const tool of all)
      if (await this.#gatewayEnabled(tool.gateway_id)) out.push({ name: tool.name, tool });
    return out;
  }

  /** The tool the caller names. @throws McpError -32602 unknown tool */
  async tool(ctx: RequestContext, name: string): Promise<ExposedTool> {
    let found: ExposedTool | undefined;
    if (ctx.scope.kind === 'server') {
      found = (await this.#serverTools(ctx.scope.serverId).catch(notFoundAs(undefined)))?.get(name);
    } else {
      const tool = await this.services.tools.findByName(name);
      if (tool?.enabled) found = { name, tool };
    }
    if (found === undefined || !(await this.#usable(ctx, found.tool))) throw unknownEntity('tool', name);
    return found;
  }

  /** Concrete resources and templates the caller may see. */
  async resources(
    ctx: RequestContext,
  ): Promise<{ resources: ResourceOutput[]; templates: ResourceOutput[] }> {
    const all =
      ctx.scope.kind === 'server'
        ? await this.services.servers.resources(ctx.scope.serverId)
        : await this.#walk((f) => this.services.resources.list(f), ctx);
    const resources: ResourceOutput[] = [];
    const templates: ResourceOutput[] = [];
    for (const r of all) {
      if (!(await this.#usable(ctx, r))) continue;
      (r.uri_template !== null ? templates : resources).push(r);
    }
    return { resources, templates };
  }

  /**
   * The resource a URI names: a registered one, else the first visible template it expands. @throws
   * McpError -32602 unknown resource
   */
  async resource(ctx: RequestContext, uri: string): Promise<ResourceOutput> {
    if (ctx.scope.kind === 'all') {
      const direct = await this.services.resources.findByUri(uri);
      if (direct && direct.uri_template === null && (await this.#usable(ctx, direct))) return direct;
    }
    const { resources, templates } = await this.resources(ctx);
    const found =
      resources.find((r) => r.uri === uri) ??
      templates.find((t) => matchesUriTemplate(t.uri_template ?? t.uri, uri));
    if (found === undefined) throw unknownEntity('resource', uri);
    return found;
  }

  /** Prompts the caller may see. */
  async prompts(ctx: RequestContext): Promise<PromptOutput[]> {
    const all =
      ctx.scope.kind === 'server'
        ? await this.services.servers.prompts(ctx.scope.serverId)
        : await this.#walk((f) => this.services.prompts.list(f), ctx);
    const out: PromptOutput[] = [];
    for (const p of all) if (await this.#usable(ctx, p)) out.push(p);
    return out;
  }

  /** The prompt the caller names. @throws McpError -32602 unknown prompt */
  async prompt(ctx: RequestContext, name: string): Promise<PromptOutput> {
    let found: PromptOutput | undefined;
    if (ctx.scope.kind === 'server') {
      found = (await this.services.servers.prompts(ctx.scope.serverId).catch(notFoundAs([]))).find(
        (p) => p.name === name,
      );
    } else {
      found = await this.services.prompts.findByName(name);
    }
    if (found === undefined || !(await this.#usable(ctx, found))) throw unknownEntity('prompt', name);
    return found;
  }

  async #serverTools(serverId: string): Promise<Map<string, ExposedTool>> {
    const list = await this.services.servers.tools(serverId);
    let index = this.#toolIndex.get(list);
    if (index === undefined) {
      index = new Map(list.map((t) => [t.exposed_name, { name: t.exposed_name, tool: t }]));
      this.#toolIndex.set(list, index);
    }
    return index;
  }

  async #usable(
    ctx: RequestContext,
    e: { enabled: boolean; gateway_id: string | null } & Parameters<InvokeAccess['canSee']>[1],
  ): Promise<boolean> {
    return e.enabled && this.access.canSee(ctx.principal, e) && (await this.#gatewayEnabled(e.gateway_id));
  }

  async #gatewayEnabled(gatewayId: string | null): Promise<boolean> {
    if (gatewayId === null) return true;
    const gateway = await this.services.gateways.get(gatewayId).catch(notFoundAs(undefined));
    return gateway?.enabled === true;
  }

  async #walk<T>(list: (filter: ListFilter) => Promise<Page<T>>, ctx: RequestContext): Promise<T[]> {
    const visibleTo = this.access.visibleTo(ctx.principal);
    const out: T[] = [];
    let after: ListFilter['after'];
    for (;;) {
      const page = await list({
        limit: 500,
        includeInactive: false,
        ...(visibleTo ? { visibleTo } : {}),
        ...(after ? { after } : {}),
      });
      out.push(...page.items);
      if (page.nextCursor === null || page.items.length === 0 || out.length >= MAX_LISTED) break;
      after = decodeCursor(page.nextCursor);
    }
    if (out.length > MAX_LISTED) out.length = MAX_LISTED;
    return out;
  }
}

/** Turns a NOT_FOUND (the server vanished) into `fallback`; rethrows anything else. */
function notFoundAs<T>(fallback: T): (error: unknown) => T {
  return (error) => {
    if (isGatewayError(error) && error.code === 'NOT_FOUND') return fallback;
    throw error;
  };
}

/** Re-exported for the backend: an unknown server answers like an unknown entity. */
export function unknownServer(serverId: string): McpError {
  return new McpError(ErrorCode.InvalidParams, `Unknown server: ${serverId}`);
}
