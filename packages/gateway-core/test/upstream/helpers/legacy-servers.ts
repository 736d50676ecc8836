/**
 * 2025-era test upstreams built with the official SDK v1 (`@modelcontextprotocol/sdk` 1.32.2):
 * stateful streamable HTTP (sessions), the deprecated HTTP+SSE transport, and WebSocket (the SDK
 * has no WebSocket server transport; a small adapter carries one JSON-RPC message per frame).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InMemoryEventStore } from '@modelcontextprotocol/sdk/examples/shared/inMemoryEventStore.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  isInitializeRequest,
  type JSONRPCMessage,
  SubscribeRequestSchema,
  UnsubscribeRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { type WebSocket, WebSocketServer } from 'ws';
import { z } from 'zod';

/** What the test servers observed. */
export interface LegacyObservations {
  /** Request ids the server saw cancelled (tool handler's signal aborted). */
  cancelled: string[];
  /** Session ids initialised (streamable HTTP). */
  initialized: string[];
  /** Session ids ended with DELETE or close. */
  closed: string[];
  /** Tool calls received, by tool name. */
  calls: Map<string, number>;
  /** Session id of each tools/call of `whoami`. */
  whoami: string[];
  /** GET requests that resumed a stream with Last-Event-ID. */
  resumed: number;
}

/** A running test upstream. */
export interface TestUpstream {
  url: string;
  observed: LegacyObservations;
  /** Every live server instance (one per session on streamable HTTP). */
  servers: Set<McpServer>;
  close(): Promise<void>;
}

function observations(): LegacyObservations {
  return { cancelled: [], initialized: [], closed: [], calls: new Map(), whoami: [], resumed: 0 };
}

const wait = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(t);
      reject(new Error('aborted'));
    });
  });

/** Variations of the test servers. */
export interface ServerOptions {
  /** URI of the one resource (default `test://readme`); a gateway needs distinct URIs per upstream. */
  resourceUri?: string;
}

/**
 * A 2025-era server with tools that exercise the protocol: echo, progress, slow (cancellable),
 * sample / elicit / roots (server→client requests on the calling request's stream), log,
 * add_tool (list_changed), touch (resource updated), whoami (session id), fail (JSON-RPC error).
 */
export function buildLegacyServer(
  observed: LegacyObservations,
  sessionId: () => string | undefined,
  options: ServerOptions = {},
): McpServer {
  const server = new McpServer(
    { name: 'legacy-test', version: '1.0.0' },
    {
      capabilities: {
        logging: {},
        resources: { subscribe: true, listChanged: true },
        tools: { listChanged: true },
      },
    },
  );
  const count = (name: string) => observed.calls.set(name, (observed.calls.get(name) ?? 0) + 1);
  server.registerTool('echo', { inputSchema: { text: z.string() } }, async ({ text }) => {
    count('echo');
    return { content: [{ type: 'text', text }] };
  });
  server.registerTool('fail', { inputSchema: {} }, async () => {
    throw new Error('deliberate failure');
  });
  server.registerTool('whoami', { inputSchema: {} }, async () => {
    count('whoami');
    observed.whoami.push(sessionId() ?? 'none');
    return { content: [{ type: 'text', text: sessionId() ?? 'none' }] };
  });
  server.registerTool('progress', { inputSchema: { steps: z.number() } }, async ({ steps }, extra) => {
    const token = extra._meta?.progressToken;
    for (let i = 1; i <= steps; i++) {
      if (token !== undefined) {
        await extra.sendNotification({
          method: 'notifications/progress',
          params: { progressToken: token, progress: i, total: steps, message: `step ${i}` },
        });
      }
    }
    return { content: [{ type: 'text', text: `done ${steps}` }] };
  });
  server.registerTool('slow', { inputSchema: { ms: z.number() } }, async ({ ms }, extra) => {
    count('slow');
    try {
      await wait(ms, extra.signal);
    } catch {
      observed.cancelled.push(String(extra.requestId));
      throw new Error('cancelled');
    }
    return { content: [{ type: 'text', text: 'slow done' }] };
  });
  server.registerTool('poll', { inputSchema: { ms: z.number() } }, async ({ ms }, extra) => {
    // 2025-11-25 SSE polling: close the response stream early; the client resumes with
    // Last-Event-ID and receives the result from the event store.
    extra.closeSSEStream?.();
    await new Promise((r) => setTimeout(r, ms));
    return { content: [{ type: 'text', text: 'polled' }] };
  });
  server.registerTool('log', { inputSchema: {} }, async (_args, extra) => {
    await extra.sendNotification({
      method: 'notifications/message',
      params: { level: 'info', logger: 'test', data: 'log line' },
    });
    return { content: [{ type: 'text', text: 'logged' }] };
  });
  server.registerTool('sample', { inputSchema: { prompt: z.string() } }, async ({ prompt }, extra) => {
    const r = await server.server.createMessage(
      { messages: [{ role: 'user', content: { type: 'text', text: prompt } }], maxTokens: 10 },
      { relatedRequestId: extra.requestId },
    );
    return { content: [{ type: 'text', text: `sampled: ${JSON.stringify(r.content)}` }] };
  });
  server.registerTool('elicit', { inputSchema: {} }, async (_args, extra) => {
    const r = await server.server.elicitInput(
      { message: 'Name?', requestedSchema: { type: 'object', properties: { name: { type: 'string' } } } },
      { relatedRequestId: extra.requestId },
    );
    return { content: [{ type: 'text', text: `elicited: ${r.action} ${JSON.stringify(r.content)}` }] };
  });
  server.registerTool('roots', { inputSchema: {} }, async (_args, extra) => {
    const r = await server.server.listRoots(undefined, { relatedRequestId: extra.requestId });
    return { content: [{ type: 'text', text: `roots: ${r.roots.map((x) => x.uri).join(',')}` }] };
  });
  server.registerTool('add_tool', { inputSchema: { name: z.string() } }, async ({ name }) => {
    server.registerTool(name, { inputSchema: {} }, async () => ({ content: [{ type: 'text', text: name }] }));
    return { content: [{ type: 'text', text: `added ${name}` }] };
  });
  server.registerTool('touch', { inputSchema: { uri: z.string() } }, async ({ uri }) => {
    await server.server.sendResourceUpdated({ uri });
    return { content: [{ type: 'text', text: `touched ${uri}` }] };
  });
  server.registerResource(
    'readme',
    options.resourceUri ?? 'test://readme',
    { mimeType: 'text/plain' },
    async (uri) => ({
      contents: [{ uri: uri.href, text: 'hello resource' }],
    }),
  );
  server.registerPrompt('greet', { argsSchema: { who: z.string() } }, ({ who }) => ({
    messages: [{ role: 'user', content: { type: 'text', text: `Hello ${who}` } }],
  }));
  // resources/subscribe is accepted (updates are sent by `touch`).
  server.server.setRequestHandler(SubscribeRequestSchema, async () => ({}));
  server.server.setRequestHandler(UnsubscribeRequestSchema, async () => ({}));
  return server;
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return (server.address() as AddressInfo).port;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  let raw = '';
  for await (const chunk of req) raw += chunk;
  return raw === '' ? undefined : JSON.parse(raw);
}

/**
 * Stateful 2025-era streamable HTTP (one server instance and session per initialize). With
 * `resumable`, responses go through an event store (SSE with event ids and a priming event) so
 * streams can be resumed with Last-Event-ID.
 */
export async function startLegacyHttpServer(
  options: { resumable?: boolean } & ServerOptions = {},
): Promise<TestUpstream> {
  const observed = observations();
  const transports = new Map<string, StreamableHTTPServerTransport>();
  const servers = new Set<McpServer>();
  const http = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const sid = req.headers['mcp-session-id'];
    if (req.method === 'GET' && req.headers['last-event-id'] !== undefined) observed.resumed += 1;
    if (typeof sid === 'string') {
      const t = transports.get(sid);
      if (t === undefined)
        return void res
          .writeHead(404)
          .end('{"jsonrpc":"2.0","id":null,"error":{"code":-32001,"message":"Session not found"}}');
      return t.handleRequest(req, res);
    }
    if (req.method !== 'POST') return void res.writeHead(400).end();
    const body = await readJson(req);
    if (!isInitializeRequest(body)) {
      return void res
        .writeHead(400, { 'content-type': 'application/json' })
        .end(
          '{"jsonrpc":"2.0","id":null,"error":{"code":-32000,"message":"Bad Request: No valid session ID provided"}}',
        );
    }
    let id: string | undefined;
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      ...(options.resumable ? { eventStore: new InMemoryEventStore(), retryInterval: 50 } : {}),
      onsessioninitialized: (s) => {
        id = s;
        transports.set(s, transport);
        observed.initialized.push(s);
      },
    });
    transport.onclose = () => {
      if (id !== undefined && transports.delete(id)) observed.closed.push(id);
    };
    const server = buildLegacyServer(observed, () => id, options);
    servers.add(server);
    await server.connect(transport);
    await transport.handleRequest(req, res, body);
  });
  const port = await listen(http);
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    observed,
    servers,
    close: async () => {
      for (const s of servers) await s.close().catch(() => {});
      http.closeAllConnections();
      await new Promise((r) => http.close(r));
    },
  };
}

/** The deprecated HTTP+SSE transport: GET /sse, POST /messages?sessionId=…. */
export async function startLegacySseServer(options: ServerOptions = {}): Promise<TestUpstream> {
  const observed = observations();
  const transports = new Map<string, SSEServerTransport>();
  const servers = new Set<McpServer>();
  const http = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (req.method === 'GET' && url.pathname === '/sse') {
      const transport = new SSEServerTransport('/messages', res);
      transports.set(transport.sessionId, transport);
      const server = buildLegacyServer(observed, () => transport.sessionId, options);
      servers.add(server);
      res.on('close', () => transports.delete(transport.sessionId));
      await server.connect(transport);
      return;
    }
    if (req.method === 'POST' && url.pathname === '/messages') {
      const t = transports.get(url.searchParams.get('sessionId') ?? '');
      if (t === undefined) return void res.writeHead(404).end();
      return void t.handlePostMessage(req, res);
    }
    res.writeHead(404).end();
  });
  const port = await listen(http);
  return {
    url: `http://127.0.0.1:${port}/sse`,
    observed,
    servers,
    close: async () => {
      for (const s of servers) await s.close().catch(() => {});
      http.closeAllConnections();
      await new Promise((r) => http.close(r));
    },
  };
}

/** One JSON-RPC message per WebSocket text frame. */
class WebSocketServerTransport implements Transport {
  onmessage?: (message: JSONRPCMessage) => void;
  onclose?: () => void;
  onerror?: (error: Error) => void;
  readonly sessionId = randomUUID();
  constructor(private readonly ws: WebSocket) {}
  async start(): Promise<void> {
    this.ws.on('message', (data) => {
      try {
        this.onmessage?.(JSON.parse(data.toString()) as JSONRPCMessage);
      } catch (err) {
        this.onerror?.(err as Error);
      }
    });
    this.ws.on('close', () => this.onclose?.());
  }
  async send(message: JSONRPCMessage): Promise<void> {
    this.ws.send(JSON.stringify(message));
  }
  async close(): Promise<void> {
    this.ws.close();
  }
}

/** 2025-era MCP over WebSocket (subprotocol `mcp`). */
export async function startWebSocketServer(
  options: ServerOptions = {},
): Promise<TestUpstream & { dropAll(): void; port: number }> {
  const observed = observations();
  const servers = new Set<McpServer>();
  const http = createServer((_req, res) => res.writeHead(426).end());
  const wss = new WebSocketServer({
    server: http,
    path: '/ws',
    handleProtocols: (p) => (p.has('mcp') ? 'mcp' : false),
  });
  wss.on('connection', async (ws) => {
    const transport = new WebSocketServerTransport(ws);
    const server = buildLegacyServer(observed, () => transport.sessionId, options);
    servers.add(server);
    await server.connect(transport);
  });
  const port = await listen(http);
  return {
    url: `ws://127.0.0.1:${port}/ws`,
    port,
    observed,
    servers,
    dropAll: () => {
      for (const c of wss.clients) c.terminate();
    },
    close: async () => {
      for (const c of wss.clients) c.terminate();
      await new Promise((r) => wss.close(r));
      http.closeAllConnections();
      await new Promise((r) => http.close(r));
    },
  };
}
