import { isGatewayError } from '../errors.js';
import type { GatewayServices } from '../gateway.js';
import { McpError } from '../mcp/errors.js';
import type { ChangeEvent, McpBackend, RequestContext, Scope, ServerDescription } from '../mcp/types.js';
import type { PromptOutput } from '../registry/prompts/prompt-schemas.js';
import type { ResourceOutput } from '../registry/resources/resource-schemas.js';
import type { ToolOutput } from '../registry/tools/tool-schemas.js';
import { isSecurityError } from '../security/errors.js';
import { isUpstreamError } from '../upstream/upstream-error.js';
import { assertNoLoop, callOptions, withoutUpstreamIdentity } from './call-options.js';
import { type FederatedKind, type FederationPaths, forPeer, viaOf } from './federation.js';
import type { GatewayUpstreams } from './gateway-upstreams.js';
import { completeInputRequired } from './input-required-bridge.js';
import type { InvokeAccess } from './invoke-access.js';
import { type ExposedTool, InvokeCatalog, unknownServer } from './invoke-catalog.js';
import { toMcpError, unknownEntity } from './invoke-errors.js';
import type { InvokeInterceptor } from './invoke-interceptor.js';
import { mcpPrompt, mcpResource, mcpTool } from './mcp-shapes.js';
import { invokeRestTool } from './rest-invoker.js';

/** What the invoke backend needs. */
export interface InvokeBackendOptions {
  services: GatewayServices;
  access: InvokeAccess;
  upstreams: GatewayUpstreams;
  /** This deployment's id (shared by its replicas): federation loop detection. */
  instanceId: string;
  /** Stored federation paths, for list answers to peer gateways. */
  federationPaths: FederationPaths;
  /** Name and version the gateway identifies itself with. */
  serverName: string;
  version: string;
  /** ENABLE_HEADER_PASSTHROUGH: client headers may travel upstream (resolved per call). */
  headerPassthrough: boolean;
  /** Time budget of REST tool calls (ms). */
  restTimeoutMs: number;
  /** Plugin hooks, run in order (the list may be replaced at run time). */
  interceptors: () => readonly InvokeInterceptor[];
  /** Subscribes to registry changes (the change feed). */
  onChange(listener: (e: ChangeEvent) => void): () => void;
}

/** The first revision that reports invalid tool arguments as a tool result (`isError`). */
const SEP_1303 = '2025-11-25';

const CAPABILITIES = Object.freeze({
  tools: { listChanged: true },
  resources: { subscribe: true, listChanged: true },
  prompts: { listChanged: true },
  completions: {},
});

/**
 * The gateway's {@link McpBackend}: resolves what a request names among the entities its scope and caller
 * may see (virtual server members or everything visible), authorizes it (visibility + RBAC), validates
 * tool arguments, runs the plugin hooks, and invokes it — an upstream MCP server through the pool, a
 * REST endpoint, or the gateway's own stored prompt or resource — passing results through untouched.
 */
export function createInvokeBackend(o: InvokeBackendOptions): McpBackend & { close(): void } {
  const catalog = new InvokeCatalog(o.services, o.access);
  const subscriptions = new Map<string, number>();

  /** Authorization with the same answer for an invisible server as for a missing one. */
  const authorize = async (
    ctx: RequestContext,
    permission: string,
    target?: Parameters<InvokeAccess['authorize']>[2],
  ) => {
    try {
      await o.access.authorize(ctx, permission, target);
    } catch (error) {
      if (isGatewayError(error) && error.code === 'NOT_FOUND' && ctx.scope.kind === 'server')
        throw unknownServer(ctx.scope.serverId);
      throw error;
    }
  };

  const upstreamHeaders = async (ctx: RequestContext, gatewayId: string) => {
    // The shared connection already carries the gateway's own credentials; per-call ones are needed only
    // where they differ per caller: passthrough headers and OAuth (per-user tokens).
    if (!o.headerPassthrough) {
      const gateway = await o.services.gateways.get(gatewayId);
      if (gateway.auth_type !== 'oauth') return undefined;
    }
    const auth = await o.access.upstreamAuth(gatewayId, ctx.principal, ctx.headers);
    return Object.keys(auth.headers).length > 0 ? auth.headers : undefined;
  };

  /** Runs `work`, mapping failures once; an upstream failure is named after the gateway `gatewayId()` returns. */
  const guarded = async <T>(work: () => Promise<T>, gatewayId?: () => string | undefined): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      const id = isUpstreamError(error) ? gatewayId?.() : undefined;
      // Error path only: the record is cached, and a vanished gateway is still named by its id.
      const name =
        id === undefined
          ? undefined
          : await o.services.gateways.get(id).then(
              (g) => g.name,
              () => id,
            );
      throw toMcpError(error, name);
    }
  };

  const listOf = async <T>(ctx: RequestContext, permission: string, load: () => Promise<T>) =>
    guarded(async () => {
      await o.access.rateLimit(ctx);
      await authorize(ctx, permission);
      return load();
    });

  /** A list answer: plain for clients, with federation paths (and without loops) for peer gateways. */
  const peerAware = <E>(
    ctx: RequestContext,
    kind: FederatedKind,
    entities: readonly E[],
    idOf: (e: E) => string,
    shape: (e: E) => object,
  ): Promise<object[]> | object[] => {
    const via = viaOf(ctx.meta);
    if (via === undefined) return entities.map(shape);
    return forPeer(entities, idOf, shape, kind, o.instanceId, via, o.federationPaths);
  };

  async function invokeTool(ctx: RequestContext, exposed: ExposedTool, args: Record<string, unknown>) {
    const { tool } = exposed;
    if (tool.gateway_id !== null) {
      const client = await o.upstreams.client(tool.gateway_id);
      const opts = callOptions(ctx, o.instanceId, await upstreamHeaders(ctx, tool.gateway_id));
      return withoutUpstreamIdentity(
        await completeInputRequired(ctx, `tool '${exposed.name}'`, (retry) =>
          client.callTool(tool.original_name, args, retry ? { ...opts, ...retry } : opts),
        ),
      );
    }
    if (tool.integration_type === 'REST' && tool.url) {
      const auth = await o.access.restAuth(tool, ctx.principal, ctx.headers);
      return invokeRestTool(tool, {
        args,
        headers: auth.headers,
        url: auth.url ?? tool.url,
        fetch: o.access.fetch,
        signal: ctx.signal,
        timeoutMs: o.restTimeoutMs,
      });
    }
    throw new McpError(-32603, `tool '${exposed.name}' has no upstream or URL to call`);
  }

  return {
    async serverInfo(scope: Scope): Promise<ServerDescription> {
      if (scope.kind === 'all') {
        return {
          name: o.serverName,
          version: o.version,
          title: 'ContextForge gateway',
          capabilities: CAPABILITIES,
        };
      }
      const server = await o.services.servers.get(scope.serverId).catch((error: unknown) => {
        if (isGatewayError(error) && error.code === 'NOT_FOUND') throw unknownServer(scope.serverId);
        throw error;
      });
      const info: ServerDescription = {
        name: o.serverName,
        version: o.version,
        title: server.name,
        capabilities: CAPABILITIES,
      };
      if (server.description) info.instructions = server.description;
      return info;
    },

    listTools: (ctx) =>
      listOf(ctx, 'tools.read', async () => {
        const tools = await catalog.tools(ctx);
        const shape = (e: ExposedTool) => mcpTool(e.tool, e.name);
        return { tools: await peerAware(ctx, 'tools', tools, (e) => e.tool.id, shape) };
      }),

    callTool(ctx, name, rawArgs) {
      let tool: ToolOutput | undefined;
      return guarded(
        async () => {
          assertNoLoop(ctx, o.instanceId);
          await o.access.rateLimit(ctx);
          let exposed: ExposedTool;
          try {
            exposed = await catalog.tool(ctx, name);
            await authorize(ctx, 'tools.execute', exposed.tool);
          } catch (error) {
            // An invisible server or tool answers exactly like a missing one.
            if (isGatewayError(error) && error.code === 'NOT_FOUND') throw unknownEntity('tool', name);
            throw error;
          }
          tool = exposed.tool;
          let args = (rawArgs ?? {}) as Record<string, unknown>;
          try {
            o.access.assertToolArguments({ name, input_schema: exposed.tool.input_schema }, args);
          } catch (error) {
            // SEP-1303 (2025-11-25 on): arguments that break the input schema are a tool execution error
            // the model can read and correct, not a protocol error; earlier revisions answer -32602.
            if (
              isSecurityError(error) &&
              error.code === 'VALIDATION_FAILED' &&
              ctx.protocolVersion >= SEP_1303
            )
              return { content: [{ type: 'text', text: error.message }], isError: true };
            throw error;
          }
          const hooks = o.interceptors();
          for (const h of hooks) {
            const r = await h.toolPreInvoke?.(ctx, { name, tool: exposed.tool, args });
            if (r?.args !== undefined) args = r.args;
          }
          let result = await invokeTool(ctx, exposed, args);
          for (const h of hooks) {
            const r = await h.toolPostInvoke?.(ctx, { name, tool: exposed.tool, result });
            if (r?.result !== undefined) result = r.result;
          }
          return result;
        },
        () => tool?.gateway_id ?? undefined,
      );
    },

    listResources: (ctx) =>
      listOf(ctx, 'resources.read', async () => ({
        resources: await peerAware(
          ctx,
          'resources',
          (await catalog.resources(ctx)).resources,
          byId,
          mcpResource,
        ),
      })),

    listResourceTemplates: (ctx) =>
      listOf(ctx, 'resources.read', async () => ({
        resourceTemplates: await peerAware(
          ctx,
          'resources',
          (await catalog.resources(ctx)).templates,
          byId,
          mcpResource,
        ),
      })),

    readResource(ctx, uri) {
      let resource: ResourceOutput | undefined;
      return guarded(
        async () => {
          assertNoLoop(ctx, o.instanceId);
          await o.access.rateLimit(ctx);
          try {
            resource = await catalog.resource(ctx, uri);
            await authorize(ctx, 'resources.read', resource);
          } catch (error) {
            if (isGatewayError(error) && error.code === 'NOT_FOUND') throw unknownEntity('resource', uri);
            throw error;
          }
          const hooks = o.interceptors();
          let target = uri;
          for (const h of hooks) {
            const r = await h.resourcePreFetch?.(ctx, { uri: target, resource });
            if (r?.uri !== undefined) target = r.uri;
          }
          let result: Record<string, unknown>;
          if (resource.gateway_id !== null) {
            const client = await o.upstreams.client(resource.gateway_id);
            const opts = callOptions(ctx, o.instanceId, await upstreamHeaders(ctx, resource.gateway_id));
            result = withoutUpstreamIdentity(
              await completeInputRequired(ctx, `resource '${target}'`, (retry) =>
                client.readResource(target, retry ? { ...opts, ...retry } : opts),
              ),
            );
          } else {
            result = await localResource(o.services, resource, target);
          }
          for (const h of hooks) {
            const r = await h.resourcePostFetch?.(ctx, { uri: target, resource, result });
            if (r?.result !== undefined) result = r.result;
          }
          return result;
        },
        () => resource?.gateway_id ?? undefined,
      );
    },

    async subscribeResource(ctx, uri) {
      await guarded(async () => {
        const resource = await catalog.resource(ctx, uri);
        await authorize(ctx, 'resources.read', resource);
        if (resource.gateway_id === null) return;
        const client = await o.upstreams.client(resource.gateway_id);
        subscriptions.set(uri, (subscriptions.get(uri) ?? 0) + 1);
        await client.subscribeResource(uri);
      });
    },

    async unsubscribeResource(ctx, uri) {
      await guarded(async () => {
        const left = (subscriptions.get(uri) ?? 0) - 1;
        if (left > 0) {
          subscriptions.set(uri, left);
          return;
        }
        subscriptions.delete(uri);
        const resource = await catalog.resource(ctx, uri).catch(() => undefined);
        if (resource?.gateway_id)
          await (await o.upstreams.client(resource.gateway_id)).unsubscribeResource(uri);
      });
    },

    listPrompts: (ctx) =>
      listOf(ctx, 'prompts.read', async () => ({
        prompts: await peerAware(ctx, 'prompts', await catalog.prompts(ctx), byId, mcpPrompt),
      })),

    getPrompt(ctx, name, rawArgs) {
      let prompt: PromptOutput | undefined;
      return guarded(
        async () => {
          assertNoLoop(ctx, o.instanceId);
          await o.access.rateLimit(ctx);
          try {
            prompt = await catalog.prompt(ctx, name);
            await authorize(ctx, 'prompts.execute', prompt);
          } catch (error) {
            if (isGatewayError(error) && error.code === 'NOT_FOUND') throw unknownEntity('prompt', name);
            throw error;
          }
          const hooks = o.interceptors();
          let args = rawArgs ?? {};
          for (const h of hooks) {
            const r = await h.promptPreFetch?.(ctx, { name, prompt, args });
            if (r?.args !== undefined) args = r.args;
          }
          let result: Record<string, unknown>;
          if (prompt.gateway_id !== null) {
            const client = await o.upstreams.client(prompt.gateway_id);
            const opts = callOptions(ctx, o.instanceId, await upstreamHeaders(ctx, prompt.gateway_id));
            const sent = rawArgs === undefined && hooks.length === 0 ? undefined : args;
            result = withoutUpstreamIdentity(
              await completeInputRequired(ctx, `prompt '${name}'`, (retry) =>
                client.getPrompt(prompt?.original_name as string, sent, retry ? { ...opts, ...retry } : opts),
              ),
            );
          } else {
            const rendered = await o.services.prompts.render(prompt.id, args);
            result = {
              messages: rendered.messages,
              ...(rendered.description ? { description: rendered.description } : {}),
            };
          }
          for (const h of hooks) {
            const r = await h.promptPostFetch?.(ctx, { name, prompt, result });
            if (r?.result !== undefined) result = r.result;
          }
          return result;
        },
        () => prompt?.gateway_id ?? undefined,
      );
    },

    complete(ctx, params) {
      return guarded(async () => {
        const p = params as { ref?: { type?: string; name?: string; uri?: string } } & Record<
          string,
          unknown
        >;
        const ref = p.ref;
        let gatewayId: string | null = null;
        let forwarded = p;
        if (ref?.type === 'ref/prompt' && typeof ref.name === 'string') {
          const prompt = await catalog.prompt(ctx, ref.name);
          await authorize(ctx, 'prompts.read', prompt);
          gatewayId = prompt.gateway_id;
          forwarded = { ...p, ref: { ...ref, name: prompt.original_name } };
        } else if (ref?.type === 'ref/resource' && typeof ref.uri === 'string') {
          const resource = await catalog.resource(ctx, ref.uri);
          await authorize(ctx, 'resources.read', resource);
          gatewayId = resource.gateway_id;
        } else {
          throw new McpError(
            -32602,
            'completion/complete: params.ref must be a ref/prompt with a name or a ref/resource with a uri',
          );
        }
        if (gatewayId === null) return { completion: { values: [], hasMore: false } };
        const client = await o.upstreams.client(gatewayId);
        const { ref: _r, ...rest } = forwarded;
        return withoutUpstreamIdentity(
          await client.complete(
            { ref: forwarded.ref, ...rest },
            callOptions(ctx, o.instanceId, await upstreamHeaders(ctx, gatewayId)),
          ),
        );
      });
    },

    async setLogLevel() {
      // Log levels travel per request (`_meta` log level on 2026-07-28 upstreams); nothing to store here.
    },

    onChange: (listener) => o.onChange(listener),

    close() {
      subscriptions.clear();
    },
  };
}

const byId = (e: { id: string }) => e.id;

async function localResource(
  services: GatewayServices,
  resource: ResourceOutput,
  uri: string,
): Promise<Record<string, unknown>> {
  if (resource.uri_template !== null) throw unknownEntity('resource', uri);
  const { content } = await services.resources.read(resource.id);
  if (content === null) return { contents: [] };
  const item: Record<string, unknown> = { uri: content.uri };
  if (content.mime_type) item.mimeType = content.mime_type;
  if (content.text !== undefined) item.text = content.text;
  if (content.blob !== undefined) item.blob = content.blob;
  return { contents: [item] };
}
