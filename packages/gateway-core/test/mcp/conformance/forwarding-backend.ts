import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  CreateMessageRequestSchema,
  ElicitRequestSchema,
  ListRootsRequestSchema,
  LoggingMessageNotificationSchema,
  ResourceUpdatedNotificationSchema,
  ResultSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { type ChangeEvent, type McpBackend, McpError, type RequestContext } from '../../../src/mcp/index.js';
import { type HeaderBinding, headerBindings } from '../../../src/mcp/tool-header-index.js';

const MODERN = '2026-07-28';

interface LegacyUpstream {
  client: Client;
  /** Calls in flight on this upstream session, newest last: server→client traffic goes to them. */
  active: RequestContext[];
}

function upstreamError(err: unknown): unknown {
  const e = err as { code?: unknown; message?: unknown; data?: unknown };
  if (typeof e?.code === 'number' && typeof e.message === 'string') {
    return new McpError(e.code, e.message.replace(/^MCP error -?\d+: /, ''), e.data);
  }
  return err;
}

/**
 * A minimal McpBackend that forwards every downstream request to one upstream MCP server (the
 * conformance fixture) in the downstream client's era: 2026-07-28 requests as stateless POSTs
 * (MRTR results and inputs passed through untouched, progress/log notifications relayed), 2025-era
 * sessions through one official SDK client session per downstream session (server→client requests
 * relayed with ctx.request). It stands in for the gateway's invoke pipeline so the official
 * conformance suite can be run against the engine.
 */
export function createForwardingBackend(upstreamUrl: string) {
  const listeners = new Set<(e: ChangeEvent) => void>();
  const legacy = new Map<string, Promise<LegacyUpstream>>();
  const emit = (e: ChangeEvent) => {
    for (const l of listeners) l(e);
  };
  const listenAbort = new AbortController();
  let upstreamBindings: Promise<Map<string, HeaderBinding[]>> | undefined;

  /** Mirrors x-mcp-header parameters into Mcp-Param-* headers, as a 2026-07-28 client must. */
  async function paramHeaders(name: string, args: unknown): Promise<Record<string, string>> {
    upstreamBindings ??= modernCall(undefined, 'tools/list', {}).then((r) => {
      const map = new Map<string, HeaderBinding[]>();
      for (const t of r.tools as Array<{ name: string; inputSchema?: unknown }>)
        map.set(t.name, headerBindings(t.inputSchema));
      return map;
    });
    const out: Record<string, string> = {};
    for (const b of (await upstreamBindings).get(name) ?? []) {
      let v: unknown = args;
      for (const k of b.path) v = (v as Record<string, unknown> | undefined)?.[k];
      if (v === undefined || v === null) continue;
      const s = String(v);
      out[`mcp-param-${b.header}`] =
        /^[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?$/.test(s) && !s.startsWith('=?base64?')
          ? s
          : `=?base64?${Buffer.from(s).toString('base64')}?=`;
    }
    return out;
  }

  async function modernCall(
    ctx: RequestContext | undefined,
    method: string,
    params: Record<string, unknown>,
  ): Promise<Record<string, unknown>> {
    const meta: Record<string, unknown> = {
      ...(ctx?.meta ?? {}),
      'io.modelcontextprotocol/protocolVersion': MODERN,
      'io.modelcontextprotocol/clientCapabilities': ctx?.clientCapabilities ?? {},
      'io.modelcontextprotocol/clientInfo': { name: 'engine-conformance-forwarder', version: '1.0.0' },
    };
    const name = (params.name ?? params.uri) as string | undefined;
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': MODERN,
      'mcp-method': method,
    };
    if (name !== undefined && ['tools/call', 'prompts/get', 'resources/read'].includes(method)) {
      headers['mcp-name'] = /^[\x21-\x7e]*$/.test(name)
        ? name
        : `=?base64?${Buffer.from(name).toString('base64')}?=`;
    }
    if (method === 'tools/call' && typeof params.name === 'string')
      Object.assign(headers, await paramHeaders(params.name, params.arguments));
    if (ctx?.inputResponses !== undefined) params.inputResponses = ctx.inputResponses;
    if (ctx?.requestState !== undefined) params.requestState = ctx.requestState;
    const res = await fetch(upstreamUrl, {
      method: 'POST',
      headers,
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params: { ...params, _meta: meta } }),
      signal: ctx?.signal,
    });
    const messages: Array<Record<string, unknown>> = [];
    if (res.headers.get('content-type')?.includes('text/event-stream')) {
      const text = await res.text();
      for (const line of text.split('\n'))
        if (line.startsWith('data: ') && line.length > 6) messages.push(JSON.parse(line.slice(6)));
    } else {
      messages.push((await res.json()) as Record<string, unknown>);
    }
    for (const m of messages) {
      const p = m.params as Record<string, unknown> | undefined;
      if (m.method === 'notifications/progress' && p !== undefined) ctx?.progress?.(p as never);
      else if (m.method === 'notifications/message' && p !== undefined)
        ctx?.log?.(String(p.level), p.data, p.logger as string | undefined);
    }
    const final = messages.find((m) => m.result !== undefined || m.error !== undefined);
    if (final === undefined)
      throw new McpError(
        -32603,
        `upstream answered ${method} with HTTP ${res.status} and no JSON-RPC response`,
      );
    if (final.error !== undefined) {
      const e = final.error as { code: number; message: string; data?: unknown };
      throw new McpError(e.code, e.message, e.data);
    }
    const result = final.result as Record<string, unknown>;
    // Our engine re-adds its own identity; the upstream's _meta.serverInfo would name the fixture.
    if (result._meta !== undefined) {
      const { 'io.modelcontextprotocol/serverInfo': _drop, ...rest } = result._meta as Record<
        string,
        unknown
      >;
      if (Object.keys(rest).length === 0) delete result._meta;
      else result._meta = rest;
    }
    return result;
  }

  function legacyUpstream(ctx: RequestContext): Promise<LegacyUpstream> {
    const key = ctx.sessionId ?? 'stateless';
    let p = legacy.get(key);
    if (p === undefined) {
      p = (async () => {
        const client = new Client(
          { name: 'engine-conformance-forwarder', version: '1.0.0' },
          { capabilities: ctx.clientCapabilities ?? {} },
        );
        const up: LegacyUpstream = { client, active: [] };
        const current = () => {
          const c = up.active.at(-1);
          if (c?.request === undefined)
            throw new McpError(-32603, 'no downstream request to relay this server request to');
          return c;
        };
        const relay = (method: string) => async (req: { params?: unknown }) =>
          (await current().request?.(method, req.params)) as never;
        // The upstream session declares exactly the downstream client's capabilities.
        const caps = ctx.clientCapabilities ?? {};
        if (caps.sampling !== undefined)
          client.setRequestHandler(CreateMessageRequestSchema, relay('sampling/createMessage'));
        if (caps.elicitation !== undefined)
          client.setRequestHandler(ElicitRequestSchema, relay('elicitation/create'));
        if (caps.roots !== undefined) client.setRequestHandler(ListRootsRequestSchema, relay('roots/list'));
        client.setNotificationHandler(LoggingMessageNotificationSchema, async (n) => {
          up.active.at(-1)?.log?.(n.params.level, n.params.data, n.params.logger);
        });
        client.setNotificationHandler(ResourceUpdatedNotificationSchema, async (n) =>
          emit({ kind: 'resource-updated', uri: n.params.uri }),
        );
        await client.connect(new StreamableHTTPClientTransport(new URL(upstreamUrl)));
        return up;
      })();
      legacy.set(key, p);
      // Bounded: the oldest upstream session is closed when there are too many.
      if (legacy.size > 200) {
        const [oldKey, oldest] = legacy.entries().next().value as [string, Promise<LegacyUpstream>];
        legacy.delete(oldKey);
        void oldest.then((u) => u.client.close()).catch(() => undefined);
      }
    }
    return p;
  }

  async function forward(
    ctx: RequestContext,
    method: string,
    params: Record<string, unknown>,
  ): Promise<object> {
    if (ctx.protocolVersion === MODERN) return modernCall(ctx, method, params);
    const up = await legacyUpstream(ctx);
    up.active.push(ctx);
    try {
      const token = ctx.meta?.progressToken;
      return await up.client.request({ method, params } as never, ResultSchema, {
        signal: ctx.signal,
        onprogress: token === undefined ? undefined : (p) => ctx.progress?.(p),
        timeout: 120_000,
      });
    } catch (err) {
      throw upstreamError(err);
    } finally {
      up.active.splice(up.active.indexOf(ctx), 1);
    }
  }

  // One long-lived 2026-07-28 listen stream turns the upstream's change notifications into onChange events.
  void (async () => {
    try {
      const res = await fetch(upstreamUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'text/event-stream, application/json',
          'mcp-protocol-version': MODERN,
          'mcp-method': 'subscriptions/listen',
        },
        body: JSON.stringify({
          jsonrpc: '2.0',
          id: 'forwarder-listen',
          method: 'subscriptions/listen',
          params: {
            _meta: {
              'io.modelcontextprotocol/protocolVersion': MODERN,
              'io.modelcontextprotocol/clientCapabilities': {},
            },
            notifications: { toolsListChanged: true, promptsListChanged: true, resourcesListChanged: true },
          },
        }),
        signal: listenAbort.signal,
      });
      const decoder = new TextDecoder();
      let buffer = '';
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        const lines = buffer.split('\n');
        buffer = lines.pop() ?? '';
        for (const line of lines) {
          if (!line.startsWith('data: ')) continue;
          const m = JSON.parse(line.slice(6)) as { method?: string };
          const kind = /^notifications\/(tools|prompts|resources)\/list_changed$/.exec(m.method ?? '')?.[1];
          if (kind !== undefined) emit({ scope: 'any', kind: kind as 'tools' });
        }
      }
    } catch {
      // Stream closed (shutdown): nothing to relay any more.
    }
  })();

  const backend: McpBackend = {
    async serverInfo() {
      const r = await modernCall(undefined, 'server/discover', {});
      return {
        name: 'contextforge-engine',
        version: '0.0.0',
        instructions: r.instructions as string | undefined,
        capabilities: r.capabilities as Record<string, unknown>,
      };
    },
    listTools: (ctx, cursor) => forward(ctx, 'tools/list', cursor === undefined ? {} : { cursor }) as never,
    callTool: (ctx, name, args) => forward(ctx, 'tools/call', { name, arguments: args }),
    listResources: (ctx, cursor) =>
      forward(ctx, 'resources/list', cursor === undefined ? {} : { cursor }) as never,
    listResourceTemplates: (ctx, cursor) =>
      forward(ctx, 'resources/templates/list', cursor === undefined ? {} : { cursor }) as never,
    readResource: (ctx, uri) => forward(ctx, 'resources/read', { uri }),
    subscribeResource: async (ctx, uri) => {
      await forward(ctx, 'resources/subscribe', { uri });
    },
    unsubscribeResource: async (ctx, uri) => {
      await forward(ctx, 'resources/unsubscribe', { uri });
    },
    listPrompts: (ctx, cursor) =>
      forward(ctx, 'prompts/list', cursor === undefined ? {} : { cursor }) as never,
    getPrompt: (ctx, name, args) =>
      forward(ctx, 'prompts/get', args === undefined ? { name } : { name, arguments: args }),
    complete: (ctx, params) => forward(ctx, 'completion/complete', params as Record<string, unknown>),
    setLogLevel: async (ctx, level) => {
      await forward(ctx, 'logging/setLevel', { level });
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return {
    backend,
    async close() {
      listenAbort.abort();
      for (const p of legacy.values()) await p.then((u) => u.client.close()).catch(() => undefined);
      legacy.clear();
    },
  };
}
