/**
 * A 2026-07-28 (stateless) test upstream built with the official SDK v2
 * (`@modelcontextprotocol/server` 2.4.0, `createMcpHandler` with `legacy: 'reject'`), served on
 * node:http.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMcpHandler, inputRequired, McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { toNodeHandler } from './node-fetch-adapter.js';

/** A running modern upstream. */
export interface ModernUpstream {
  url: string;
  /** Tool calls cancelled (handler signal aborted), by tool. */
  cancelled: string[];
  /** Values of the `region` argument seen by `regional` (mirrored into Mcp-Param-Region). */
  regions: string[];
  /** Publishes change events to open `subscriptions/listen` streams. */
  notify: { toolsChanged(): void; resourceUpdated(uri: string): void };
  /** HTTP requests received by method (`Mcp-Method` header). */
  methods: Map<string, number>;
  /** Headers of the last tools/call request. */
  lastCallHeaders: Record<string, string | string[] | undefined>;
  close(): Promise<void>;
}

/** Starts the modern test upstream on 127.0.0.1:0. */
export async function startModernServer(): Promise<ModernUpstream> {
  const cancelled: string[] = [];
  const regions: string[] = [];
  const methods = new Map<string, number>();
  const factory = () => {
    const server = new McpServer(
      { name: 'modern-test', version: '2.0.0' },
      {
        capabilities: {
          tools: { listChanged: true },
          resources: { listChanged: true, subscribe: true },
          prompts: {},
        },
      },
    );
    server.registerTool('echo', { inputSchema: z.object({ text: z.string() }) }, async ({ text }) => ({
      content: [{ type: 'text', text }],
    }));
    server.registerTool(
      'progress',
      { inputSchema: z.object({ steps: z.number() }) },
      async ({ steps }, ctx) => {
        const token = ctx.mcpReq._meta?.progressToken;
        for (let i = 1; i <= steps; i++) {
          if (token !== undefined) {
            await ctx.mcpReq.notify({
              method: 'notifications/progress',
              params: { progressToken: token, progress: i, total: steps },
            });
          }
        }
        return { content: [{ type: 'text', text: `done ${steps}` }] };
      },
    );
    server.registerTool('slow', { inputSchema: z.object({ ms: z.number() }) }, async ({ ms }, ctx) => {
      // Emit one related message first so the response upgrades to SSE and stays open.
      await ctx.mcpReq.notify({
        method: 'notifications/progress',
        params: { progressToken: 'x', progress: 0 },
      });
      await new Promise<void>((resolve, reject) => {
        const t = setTimeout(resolve, ms);
        ctx.mcpReq.signal.addEventListener('abort', () => {
          clearTimeout(t);
          cancelled.push('slow');
          reject(new Error('aborted'));
        });
      });
      return { content: [{ type: 'text', text: 'slow done' }] };
    });
    server.registerTool(
      'regional',
      {
        inputSchema: z.object({ region: z.string().meta({ 'x-mcp-header': 'Region' }), text: z.string() }),
      },
      async ({ region, text }) => {
        regions.push(region);
        return { content: [{ type: 'text', text: `${region}:${text}` }] };
      },
    );
    server.registerTool('confirm', { inputSchema: z.object({}) }, async (_args, ctx) => {
      const answer = ctx.mcpReq.inputResponses?.ok as { action?: string } | undefined;
      if (answer === undefined) {
        return inputRequired({
          inputRequests: {
            ok: inputRequired.elicit({
              message: 'Proceed?',
              requestedSchema: z.object({ yes: z.boolean() }),
            }),
          },
          requestState: 'opaque-state-1',
        });
      }
      return { content: [{ type: 'text', text: `confirmed: ${answer.action}` }] };
    });
    server.registerResource('readme', 'test://readme', { mimeType: 'text/plain' }, async (uri) => ({
      contents: [{ uri: uri.href, text: 'modern resource' }],
    }));
    server.registerPrompt('greet', { argsSchema: z.object({ who: z.string() }) }, ({ who }) => ({
      messages: [{ role: 'user', content: { type: 'text', text: `Hi ${who}` } }],
    }));
    return server;
  };
  const handler = createMcpHandler(factory, { legacy: 'reject', keepAliveMs: 0 });
  const node = toNodeHandler(handler.fetch);
  const observed = { lastCallHeaders: {} as Record<string, string | string[] | undefined> };
  const http = createServer((req, res) => {
    const m = req.headers['mcp-method'];
    if (typeof m === 'string') methods.set(m, (methods.get(m) ?? 0) + 1);
    if (m === 'tools/call') observed.lastCallHeaders = req.headers;
    void node(req, res);
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', () => r()));
  const port = (http.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    cancelled,
    regions,
    methods,
    get lastCallHeaders() {
      return observed.lastCallHeaders;
    },
    notify: {
      toolsChanged: () => handler.notify.toolsChanged(),
      resourceUpdated: (uri) => handler.notify.resourceUpdated(uri),
    },
    close: async () => {
      await handler.close();
      http.closeAllConnections();
      await new Promise((r) => http.close(r));
    },
  };
}
