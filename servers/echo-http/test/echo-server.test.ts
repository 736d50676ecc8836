import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EchoServer, startEchoServer } from '../src/index.js';

const MODERN = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28' };

async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...headers,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

describe('echo-http', () => {
  let server: EchoServer;
  beforeAll(async () => {
    server = await startEchoServer();
  });
  afterAll(() => server.close());

  it('answers a 2026-07-28 request whose headers mirror the body', async () => {
    const r = await post(
      server.url,
      {
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name: 'echo', arguments: { text: 'hi' }, _meta: MODERN },
      },
      { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': 'echo' },
    );
    expect(r).toMatchObject({
      status: 200,
      body: { id: 1, result: { content: [{ type: 'text', text: 'hi' }], resultType: 'complete' } },
    });
  });

  it('rejects a header/body mismatch with 400 and -32020, and an unknown revision with -32022', async () => {
    const call = {
      jsonrpc: '2.0',
      id: 2,
      method: 'tools/call',
      params: { name: 'echo', arguments: { text: 'x' }, _meta: MODERN },
    };
    const mismatch = await post(server.url, call, {
      'mcp-protocol-version': '2026-07-28',
      'mcp-method': 'tools/call',
      'mcp-name': 'other',
    });
    expect(mismatch).toMatchObject({ status: 400, body: { error: { code: -32020 } } });
    const old = {
      ...call,
      params: { ...call.params, _meta: { 'io.modelcontextprotocol/protocolVersion': '2030-01-01' } },
    };
    const unsupported = await post(server.url, old, {
      'mcp-protocol-version': '2030-01-01',
      'mcp-method': 'tools/call',
      'mcp-name': 'echo',
    });
    expect(unsupported).toMatchObject({
      status: 400,
      body: { error: { code: -32022, data: { supported: ['2026-07-28'] } } },
    });
  });

  it('serves 2025-era sessions: initialize issues an id, unknown ids get 404, DELETE ends it', async () => {
    const init = await post(server.url, {
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18' },
    });
    expect(init.body.result.protocolVersion).toBe('2025-06-18');
    const sid = init.headers.get('mcp-session-id') as string;
    expect(sid).toBeTruthy();
    const ok = await post(
      server.url,
      { jsonrpc: '2.0', id: 2, method: 'tools/list' },
      { 'mcp-session-id': sid },
    );
    expect(ok.body.result.tools[0].name).toBe('echo');
    expect(
      (await post(server.url, { jsonrpc: '2.0', id: 3, method: 'ping' }, { 'mcp-session-id': 'nope' }))
        .status,
    ).toBe(404);
    expect((await post(server.url, { jsonrpc: '2.0', id: 3, method: 'ping' })).status).toBe(400);
    expect((await fetch(server.url, { method: 'DELETE', headers: { 'mcp-session-id': sid } })).status).toBe(
      200,
    );
    expect(
      (await post(server.url, { jsonrpc: '2.0', id: 4, method: 'ping' }, { 'mcp-session-id': sid })).status,
    ).toBe(404);
  });

  it('answers bad bodies with JSON-RPC errors, not crashes', async () => {
    expect(await post(server.url, 'not json')).toMatchObject({
      status: 400,
      body: { error: { code: -32700 } },
    });
    expect(await post(server.url, [1, 2])).toMatchObject({ status: 400, body: { error: { code: -32600 } } });
    expect((await fetch(server.url, { method: 'GET' })).status).toBe(405);
    expect((await fetch(server.url.replace('/mcp', '/other'), { method: 'POST' })).status).toBe(404);
  });

  it('frames responses as SSE when asked', async () => {
    const sse = await startEchoServer({ responseMode: 'sse', sessions: false, era: 'legacy' });
    try {
      const res = await fetch(sse.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'ping' }),
      });
      expect(res.headers.get('content-type')).toBe('text/event-stream');
      expect(await res.text()).toBe('event: message\ndata: {"jsonrpc":"2.0","id":9,"result":{}}\n\n');
    } finally {
      await sse.close();
    }
  });
});
