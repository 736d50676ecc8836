import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * Behaviour of the faulty HTTP server for the next requests:
 * - `ok`: a well-behaved stateless MCP server (2025-era `initialize`, and 2026-07-28 requests by envelope)
 * - `hang`: accepts the request and never answers
 * - `garbage`: `200 application/json` with a body that is not JSON
 * - `wrong-id`: a JSON-RPC response whose id matches no request
 * - `html`: `200 text/html`
 * - `error500`: `500` with a text body
 * - `reset`: destroys the connection on receipt
 * - `slow`: answers like `ok` after `slowMs`
 * - `sse-hang`: opens an SSE response and never sends an event
 */
export type FaultyHttpMode =
  | 'ok'
  | 'hang'
  | 'garbage'
  | 'wrong-id'
  | 'html'
  | 'error500'
  | 'reset'
  | 'slow'
  | 'sse-hang';

/** A running faulty HTTP server. */
export interface FaultyHttpServer {
  /** Endpoint URL (`/mcp`). */
  readonly url: string;
  readonly port: number;
  /** POST requests received, by JSON-RPC method. */
  readonly counts: Map<string, number>;
  /** Switches the behaviour for the following requests. */
  setMode(mode: FaultyHttpMode, options?: { slowMs?: number }): void;
  /** Stops listening and drops every connection (clients then get ECONNREFUSED). */
  stop(): Promise<void>;
  /** Listens again on the same port after {@link stop}. */
  start(): Promise<void>;
  close(): Promise<void>;
}

interface Rpc {
  id?: string | number;
  method?: string;
  params?: { name?: string; arguments?: { text?: string }; _meta?: Record<string, unknown> };
}

/** Starts the faulty HTTP server on 127.0.0.1 (port 0 unless given). */
export async function startFaultyHttpServer(
  options: { mode?: FaultyHttpMode; port?: number; slowMs?: number } = {},
): Promise<FaultyHttpServer> {
  let mode: FaultyHttpMode = options.mode ?? 'ok';
  let slowMs = options.slowMs ?? 200;
  const counts = new Map<string, number>();
  const sockets = new Set<Socket>();

  const answerOk = (res: ServerResponse, msg: Rpc) => {
    if (msg.id === undefined) return void res.writeHead(202).end();
    const modern = msg.params?._meta?.['io.modelcontextprotocol/protocolVersion'] !== undefined;
    let result: unknown;
    switch (msg.method) {
      case 'server/discover':
        if (!modern) break;
        result = { supportedVersions: ['2026-07-28'], capabilities: { tools: {} }, resultType: 'complete' };
        break;
      case 'initialize':
        result = {
          protocolVersion: '2025-11-25',
          capabilities: { tools: {} },
          serverInfo: { name: 'faulty-http', version: '0' },
        };
        break;
      case 'ping':
        result = {};
        break;
      case 'tools/list':
        result = { tools: [{ name: 'echo', inputSchema: { type: 'object' } }] };
        break;
      case 'tools/call':
        result = { content: [{ type: 'text', text: String(msg.params?.arguments?.text ?? '') }] };
        break;
    }
    if (result !== undefined && modern) (result as Record<string, unknown>).resultType = 'complete';
    const body = JSON.stringify(
      result === undefined
        ? { jsonrpc: '2.0', id: msg.id, error: { code: -32601, message: `Method not found: ${msg.method}` } }
        : { jsonrpc: '2.0', id: msg.id, result },
    );
    res.writeHead(200, { 'content-type': 'application/json' }).end(body);
  };

  const handle = (req: IncomingMessage, res: ServerResponse, raw: string) => {
    let msg: Rpc = {};
    try {
      msg = JSON.parse(raw) as Rpc;
    } catch {
      // answered per mode below; `ok` answers a parse error
    }
    counts.set(String(msg.method), (counts.get(String(msg.method)) ?? 0) + 1);
    switch (mode) {
      case 'ok':
        return answerOk(res, msg);
      case 'slow':
        return void setTimeout(() => answerOk(res, msg), slowMs);
      case 'hang':
        return;
      case 'garbage':
        return void res
          .writeHead(200, { 'content-type': 'application/json' })
          .end('{"jsonrpc": "2.0", "id": oops');
      case 'wrong-id':
        return void res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ jsonrpc: '2.0', id: 'not-yours', result: {} }));
      case 'html':
        return void res.writeHead(200, { 'content-type': 'text/html' }).end('<html>hello</html>');
      case 'error500':
        return void res.writeHead(500, { 'content-type': 'text/plain' }).end('internal explosion');
      case 'reset':
        return void req.socket.destroy();
      case 'sse-hang':
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        return void res.flushHeaders();
    }
  };

  const server = createServer((req, res) => {
    if (req.method !== 'POST') return void res.writeHead(405, { allow: 'POST' }).end();
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => {
      raw += c;
    });
    req.on('end', () => handle(req, res, raw));
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  await listen(options.port ?? 0);
  const port = (server.address() as AddressInfo).port;
  const stop = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      if (!server.listening) return resolve();
      server.close(() => resolve());
    });
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    port,
    counts,
    setMode(next, o) {
      mode = next;
      if (o?.slowMs !== undefined) slowMs = o.slowMs;
    },
    stop,
    start: () => listen(port),
    close: stop,
  };
}
