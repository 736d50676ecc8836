import { Client, SSEClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ANONYMOUS_PRINCIPAL } from '../../src/security/authn/principal.js';
import { createEchoBackend } from './support/echo-backend.js';
import { type Json, type RunningEngine, readJson, startEngine } from './support/start-engine.js';

describe('HTTP+SSE (2024-11-05), WebSocket and POST /rpc', () => {
  let run: RunningEngine;
  const { backend, log } = createEchoBackend();

  beforeAll(async () => {
    run = await startEngine({ backend });
  });
  afterAll(() => run.close());

  it('serves the official SDK SSE client on /servers/:id/sse, including sampling', async () => {
    const client = new Client({ name: 'sse', version: '1' }, { capabilities: { sampling: {} } });
    client.setRequestHandler('sampling/createMessage', async () => ({
      role: 'assistant',
      content: { type: 'text', text: 'yes' },
      model: 'm',
    }));
    await client.connect(new SSEClientTransport(new URL(`${run.url}/servers/s2/sse`)));
    expect(client.getServerVersion()?.name).toBe('server-s2');
    expect((await client.callTool({ name: 'echo', arguments: { a: 1 } })).content).toEqual([
      { type: 'text', text: '{"a":1}' },
    ]);
    expect((await client.callTool({ name: 'sample', arguments: { prompt: 'q' } })).content).toEqual([
      { type: 'text', text: 'LLM said: yes' },
    ]);
    await client.close();
    await expect.poll(() => run.engine.stats().channels).toBe(0);
  });

  it('answers a POST to an unknown SSE session with 404', async () => {
    const r = await fetch(`${run.url}/message?session_id=nope`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"jsonrpc":"2.0","id":1,"method":"ping"}',
    });
    expect(r.status).toBe(404);
  });

  it('serves JSON-RPC over WebSocket with server→client requests and list_changed', async () => {
    const ws = new WebSocket(`${run.url.replace('http', 'ws')}/ws`, 'mcp');
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    const inbox: Json[] = [];
    const waiters: Array<() => void> = [];
    ws.on('message', (d) => {
      const m = JSON.parse(d.toString());
      if (m.method === 'sampling/createMessage') {
        ws.send(
          JSON.stringify({
            jsonrpc: '2.0',
            id: m.id,
            result: { role: 'assistant', content: { type: 'text', text: 'ws!' }, model: 'm' },
          }),
        );
        return;
      }
      inbox.push(m);
      for (const w of waiters.splice(0)) w();
    });
    const call = async (id: number, method: string, params: object) => {
      ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
      await expect.poll(() => inbox.find((m) => m.id === id)).toBeDefined();
      return inbox.find((m) => m.id === id);
    };
    const init = await call(1, 'initialize', {
      protocolVersion: '2025-06-18',
      capabilities: { sampling: {} },
      clientInfo: { name: 'w', version: '1' },
    });
    expect(init.result.protocolVersion).toBe('2025-06-18');
    expect((await call(2, 'tools/call', { name: 'echo', arguments: { w: 1 } })).result.content[0].text).toBe(
      '{"w":1}',
    );
    expect((await call(3, 'tools/call', { name: 'sample', arguments: {} })).result.content[0].text).toBe(
      'LLM said: ws!',
    );
    await call(4, 'tools/call', { name: 'change', arguments: { kind: 'prompts' } });
    await expect.poll(() => inbox.some((m) => m.method === 'notifications/prompts/list_changed')).toBe(true);
    // notifications/cancelled over the socket aborts the backend call.
    ws.send(
      JSON.stringify({
        jsonrpc: '2.0',
        id: 5,
        method: 'tools/call',
        params: { name: 'slow', arguments: { ms: 10_000 } },
      }),
    );
    await expect.poll(() => run.engine.stats().inFlight).toBe(1);
    ws.send(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 5 } }));
    await expect.poll(() => log.cancelled).toContain(5);
    // A 2026-07-28 request on the socket is served statelessly from its _meta.
    const modern = await call(6, 'tools/call', {
      name: 'echo',
      arguments: {},
      _meta: {
        'io.modelcontextprotocol/protocolVersion': '2026-07-28',
        'io.modelcontextprotocol/clientCapabilities': {},
      },
    });
    expect(modern.result.resultType).toBe('complete');
    ws.send('not json');
    await expect.poll(() => inbox.some((m) => m.error?.code === -32700)).toBe(true);
    ws.close();
  });

  it('refuses a WebSocket upgrade the authenticator rejects', async () => {
    const { McpError } = await import('../../src/mcp/index.js');
    const guarded = await startEngine({
      backend,
      authenticate: async (headers) => {
        if (headers.authorization !== 'Bearer ok')
          throw new McpError(-32000, 'Unauthorized: bearer token required', undefined, { httpStatus: 401 });
        return { ...ANONYMOUS_PRINCIPAL, subject: 'u1', authMethod: 'jwt' as const };
      },
    });
    try {
      const ws = new WebSocket(`${guarded.url.replace('http', 'ws')}/ws`);
      const status = await new Promise<number | undefined>((resolve) => {
        ws.once('unexpected-response', (_req, res) => resolve(res.statusCode));
        ws.once('open', () => resolve(undefined));
        ws.once('error', () => undefined);
      });
      expect(status).toBe(401);
      const http = await fetch(`${guarded.url}/mcp`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: '{}',
      });
      expect(http.status).toBe(401);
    } finally {
      await guarded.close();
    }
  });

  it('serves plain JSON-RPC on POST /rpc, single and batch', async () => {
    const one = await fetch(`${run.url}/rpc`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name: 'echo', arguments: { r: 1 } },
      }),
    });
    expect((await readJson(one)).result.content[0].text).toBe('{"r":1}');
    const batch = await fetch(`${run.url}/rpc`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([
        { jsonrpc: '2.0', id: 'x', method: 'tools/list' },
        { jsonrpc: '2.0', id: 'y', method: 'nope' },
        { bad: true },
      ]),
    });
    const items = await readJson(batch);
    expect(items).toHaveLength(3);
    expect(items.find((i: { id: string }) => i.id === 'y').error.code).toBe(-32601);
    expect(items.find((i: { id: unknown }) => i.id === null).error.code).toBe(-32600);
  });
});
