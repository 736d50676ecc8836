import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type JsonRpcMessage, StreamableHttpClientTransport } from '../src/index.js';

const servers: Array<ReturnType<typeof createServer>> = [];
afterEach(async () => {
  await Promise.all(
    servers.splice(0).map((s) => {
      const closed = new Promise((r) => s.close(r));
      s.closeAllConnections();
      return closed;
    }),
  );
});

async function serve(
  handler: (req: IncomingMessage, res: ServerResponse, body: string) => void,
): Promise<string> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => handler(req, res, body));
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`;
}

function collect(transport: StreamableHttpClientTransport) {
  const got: JsonRpcMessage[] = [];
  transport.onmessage = (m) => got.push(m);
  return got;
}

describe('StreamableHttpClientTransport', () => {
  it('retries 503 answers with backoff, then delivers the JSON answer', async () => {
    let calls = 0;
    const url = await serve((_req, res, body) => {
      calls += 1;
      if (calls <= 2) return res.writeHead(503).end('busy');
      const { id } = JSON.parse(body);
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ jsonrpc: '2.0', id, result: { ok: true } }));
    });
    const transport = new StreamableHttpClientTransport({ url, retries: 2 });
    const got = collect(transport);
    await transport.send({ jsonrpc: '2.0', id: 1, method: 'ping' });
    expect(calls).toBe(3);
    expect(got).toEqual([{ jsonrpc: '2.0', id: 1, result: { ok: true } }]);
  });

  it('turns a server that keeps failing into a JSON-RPC error naming the status', async () => {
    const url = await serve((_req, res) => res.writeHead(500, { 'content-type': 'text/plain' }).end('boom'));
    const transport = new StreamableHttpClientTransport({ url, retries: 0 });
    const got = collect(transport);
    await transport.send({ jsonrpc: '2.0', id: 'x', method: 'tools/list' });
    expect(got).toEqual([
      { jsonrpc: '2.0', id: 'x', error: { code: -32000, message: `${url} answered HTTP 500: boom` } },
    ]);
  });

  it('keeps the session id and protocol version from initialize and mirrors Mcp-Method/Mcp-Name', async () => {
    const seen: Array<Record<string, unknown>> = [];
    const url = await serve((req, res, body) => {
      seen.push({ ...req.headers });
      const message = JSON.parse(body);
      if (message.id === undefined) return res.writeHead(202).end();
      const result =
        message.method === 'initialize'
          ? { protocolVersion: '2025-06-18', capabilities: {}, serverInfo: { name: 's', version: '1' } }
          : {};
      res
        .writeHead(200, { 'content-type': 'text/event-stream', 'mcp-session-id': 'sess-1' })
        .end(`event: message\ndata: ${JSON.stringify({ jsonrpc: '2.0', id: message.id, result })}\n\n`);
    });
    const transport = new StreamableHttpClientTransport({ url, getStream: false });
    const got = collect(transport);
    await transport.send({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'c', version: '1' } },
    });
    await transport.send({
      jsonrpc: '2.0',
      id: 2,
      method: 'tools/call',
      params: { name: 'echo', arguments: {} },
    });
    expect(got.map((m) => (m as { id: number }).id)).toEqual([1, 2]);
    expect(seen[1]).toMatchObject({
      'mcp-session-id': 'sess-1',
      'mcp-protocol-version': '2025-06-18',
      'mcp-method': 'tools/call',
      'mcp-name': 'echo',
    });
  });

  it('answers a request that outlives the timeout with -32001 and cancels it upstream', async () => {
    const bodies: string[] = [];
    const url = await serve((_req, res, body) => {
      bodies.push(body);
      if (JSON.parse(body).method === 'notifications/cancelled') res.writeHead(202).end();
      // otherwise never answer
    });
    const transport = new StreamableHttpClientTransport({ url, timeoutMs: 200, retries: 0 });
    const got = collect(transport);
    await transport.send({ jsonrpc: '2.0', id: 9, method: 'tools/call', params: { name: 'slow' } });
    expect(got[0]).toMatchObject({
      id: 9,
      error: { code: -32001, message: 'request "tools/call" timed out after 200 ms' },
    });
    for (let i = 0; i < 50 && bodies.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
    expect(JSON.parse(bodies[1]!)).toMatchObject({
      method: 'notifications/cancelled',
      params: { requestId: 9 },
    });
    await transport.close();
  });
});
