import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMcpEngine, type McpEngine, type McpEngineOptions } from '../../../src/mcp/index.js';

/** Arbitrary JSON-RPC payloads that assertions navigate freely. */
// biome-ignore lint/suspicious/noExplicitAny: tests inspect untyped wire JSON field by field.
export type Json = any;

/** Parses a fetch response body as JSON. */
export async function readJson(res: Response): Promise<Json> {
  return res.json();
}

/** An engine mounted on a real node:http server listening on 127.0.0.1:0. */
export interface RunningEngine {
  engine: McpEngine;
  server: Server;
  url: string;
  close(): Promise<void>;
}

/** Starts `createMcpEngine(opts)` behind a plain node:http server (404 for other paths). */
export async function startEngine(opts: McpEngineOptions): Promise<RunningEngine> {
  const engine = await createMcpEngine(opts);
  const server = createServer((req, res) => {
    if (!engine.handle(req, res)) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"error":"not found"}');
    }
  });
  server.on('upgrade', (req, socket, head) => {
    if (!engine.handleUpgrade(req, socket, head)) socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    engine,
    server,
    url: `http://127.0.0.1:${port}`,
    async close() {
      await engine.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Headers of a conformant 2026-07-28 request. */
export function modernHeaders(
  method: string,
  name?: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  const h: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    'mcp-protocol-version': '2026-07-28',
    'mcp-method': method,
  };
  if (name !== undefined) h['mcp-name'] = name;
  return { ...h, ...extra };
}

/** `_meta` of a conformant 2026-07-28 request. */
export function modernMeta(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    'io.modelcontextprotocol/protocolVersion': '2026-07-28',
    'io.modelcontextprotocol/clientInfo': { name: 'test', version: '1' },
    'io.modelcontextprotocol/clientCapabilities': {},
    ...extra,
  };
}

/** POSTs a 2026-07-28 request with conformant headers and `_meta`. */
export async function modernPost(
  url: string,
  method: string,
  params: Record<string, unknown> = {},
  opts: { id?: string | number; headers?: Record<string, string>; meta?: Record<string, unknown> } = {},
): Promise<{ status: number; body: Json; text: string; contentType: string | null }> {
  const name = (params.name ?? params.uri) as string | undefined;
  const res = await fetch(url, {
    method: 'POST',
    headers: modernHeaders(
      method,
      ['tools/call', 'prompts/get', 'resources/read'].includes(method) ? name : undefined,
      opts.headers,
    ),
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: opts.id ?? 1,
      method,
      params: { ...params, _meta: modernMeta(opts.meta) },
    }),
  });
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.status, body, text, contentType: res.headers.get('content-type') };
}

/** Parses the `data:` lines of an SSE body into JSON messages. */
export function sseMessages(text: string): Json[] {
  return text
    .split('\n')
    .filter((l) => l.startsWith('data: ') && l.length > 6)
    .map((l) => JSON.parse(l.slice(6)));
}
