import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEchoBackend } from './support/echo-backend.js';
import { type RunningEngine, readJson, sseMessages, startEngine } from './support/start-engine.js';

async function connect(url: string, capabilities: Record<string, unknown> = {}) {
  const client = new Client({ name: 'legacy-test', version: '1.0.0' }, { capabilities });
  const transport = new StreamableHTTPClientTransport(new URL(url));
  await client.connect(transport);
  return { client, transport };
}

function initBody(version = '2025-11-25') {
  return JSON.stringify({
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: { protocolVersion: version, capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
  });
}
const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

describe('2025-xx streamable HTTP (sessions) with the official SDK client', () => {
  let run: RunningEngine;
  let url: string;
  const { backend, log, emit } = createEchoBackend();

  beforeAll(async () => {
    run = await startEngine({ backend });
    url = `${run.url}/servers/s1/mcp`;
  });
  afterAll(() => run.close());

  it('initializes, lists and calls tools with outputSchema and structuredContent intact', async () => {
    const { client, transport } = await connect(url);
    expect(client.getServerVersion()).toMatchObject({ name: 'server-s1', version: '1.2.3' });
    expect(client.getServerCapabilities()).toMatchObject({ tools: { listChanged: true }, logging: {} });
    expect(transport.sessionId).toMatch(/^[\x21-\x7e]+$/);
    const { tools } = await client.listTools();
    expect(tools.find((t) => t.name === 'structured')?.outputSchema).toMatchObject({ required: ['n'] });
    const result = await client.callTool({ name: 'structured', arguments: {} });
    expect(result.structuredContent).toEqual({ n: 7 });
    expect((result as { resultType?: string }).resultType).toBeUndefined();
    expect(log.contexts.at(-1)?.sessionId).toBe(transport.sessionId);
    await client.close();
  });

  it('serves resources, templates, prompts, completion and ping', async () => {
    const { client } = await connect(url);
    expect((await client.listResources()).resources[0]?.uri).toBe('test://static');
    expect((await client.listResourceTemplates()).resourceTemplates[0]?.uriTemplate).toBe('test://item/{id}');
    expect((await client.readResource({ uri: 'test://item/9' })).contents[0]).toMatchObject({
      text: 'content of test://item/9',
    });
    expect(
      (await client.getPrompt({ name: 'greet', arguments: { who: 'Ada' } })).messages[0]?.content,
    ).toMatchObject({ text: 'Hello Ada' });
    expect(
      (
        await client.complete({
          ref: { type: 'ref/prompt', name: 'greet' },
          argument: { name: 'who', value: 'a' },
        })
      ).completion.values,
    ).toEqual(['alpha', 'beta']);
    await client.ping();
    await client.close();
  });

  it('streams progress notifications for a progressToken', async () => {
    const { client } = await connect(url);
    const seen: number[] = [];
    await client.callTool({ name: 'progress', arguments: {} }, { onprogress: (p) => seen.push(p.progress) });
    expect(seen).toEqual([1, 2, 3]);
    await client.close();
  });

  it('filters logging notifications by logging/setLevel', async () => {
    const { client } = await connect(url);
    const levels: string[] = [];
    client.setNotificationHandler('notifications/message', (n) => {
      levels.push(n.params.level);
    });
    await client.setLoggingLevel('info');
    await client.callTool({ name: 'logs', arguments: {} });
    expect(levels).toEqual(['info', 'error']);
    await client.close();
  });

  it('routes a sampling request back to the session that caused it', async () => {
    const { client } = await connect(url, { sampling: {} });
    client.setRequestHandler('sampling/createMessage', async (req) => ({
      role: 'assistant',
      content: {
        type: 'text',
        text: `echo:${(req.params.messages[0]?.content as { text?: string } | undefined)?.text}`,
      },
      model: 'm',
      stopReason: 'endTurn',
    }));
    const r = await client.callTool({ name: 'sample', arguments: { prompt: 'hi' } });
    expect(r.content).toEqual([{ type: 'text', text: 'LLM said: echo:hi' }]);
    expect(run.engine.stats().pendingServerRequests).toBe(0);
    await client.close();
  });

  it('refuses a server request for a capability the client did not declare', async () => {
    const { client } = await connect(url);
    await expect(client.callTool({ name: 'sample', arguments: {} })).rejects.toThrow(/sampling/);
    await client.close();
  });

  it('cancels a running request on notifications/cancelled', async () => {
    const { client } = await connect(url);
    const before = log.cancelled.length;
    const ac = new AbortController();
    const p = client.callTool({ name: 'slow', arguments: { ms: 10_000 } }, { signal: ac.signal });
    await expect.poll(() => run.engine.stats().inFlight).toBe(1);
    ac.abort('user');
    await expect(p).rejects.toThrow();
    await expect.poll(() => log.cancelled.length).toBe(before + 1);
    await client.close();
  });

  it('delivers list_changed and subscribed resource updates on the GET stream', async () => {
    const { client } = await connect(url);
    const got: string[] = [];
    client.setNotificationHandler('notifications/tools/list_changed', () => {
      got.push('tools');
    });
    client.setNotificationHandler('notifications/resources/updated', (n) => {
      got.push(`updated:${n.params.uri}`);
    });
    await client.subscribeResource({ uri: 'test://static' });
    // The SDK opens the GET stream after initialization; wait until the engine holds it.
    await expect.poll(() => run.engine.stats().channels).toBeGreaterThan(0);
    await client.callTool({ name: 'change', arguments: { kind: 'tools' } });
    emit({ kind: 'resource-updated', uri: 'test://static' });
    emit({ kind: 'resource-updated', uri: 'test://other' });
    await expect.poll(() => got).toContain('tools');
    await expect.poll(() => got).toContain('updated:test://static');
    expect(got).not.toContain('updated:test://other');
    await client.unsubscribeResource({ uri: 'test://static' });
    await client.close();
  });

  it('terminates a session with DELETE; later requests get 404', async () => {
    const init = await fetch(url, { method: 'POST', headers: JSON_HEADERS, body: initBody() });
    const sid = init.headers.get('mcp-session-id') as string;
    expect(sid).toBeTruthy();
    const del = await fetch(url, { method: 'DELETE', headers: { 'mcp-session-id': sid } });
    expect(del.status).toBe(200);
    const after = await fetch(url, {
      method: 'POST',
      headers: { ...JSON_HEADERS, 'mcp-session-id': sid, 'mcp-protocol-version': '2025-11-25' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }),
    });
    expect(after.status).toBe(404);
  });

  it('negotiates older versions and answers unknown ones with its latest', async () => {
    for (const [asked, got] of [
      ['2025-03-26', '2025-03-26'],
      ['2025-06-18', '2025-06-18'],
      ['1999-01-01', '2025-11-25'],
    ]) {
      const r = await fetch(url, { method: 'POST', headers: JSON_HEADERS, body: initBody(asked) });
      expect((await readJson(r)).result.protocolVersion).toBe(got);
    }
  });

  it('rejects requests without, with unknown, or with a foreign session id', async () => {
    const none = await fetch(url, {
      method: 'POST',
      headers: JSON_HEADERS,
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }),
    });
    expect(none.status).toBe(400);
    const unknown = await fetch(url, {
      method: 'POST',
      headers: { ...JSON_HEADERS, 'mcp-session-id': 'nope' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }),
    });
    expect(unknown.status).toBe(404);
    const init = await fetch(url, { method: 'POST', headers: JSON_HEADERS, body: initBody() });
    const sid = init.headers.get('mcp-session-id') as string;
    const otherEndpoint = await fetch(`${run.url}/mcp`, {
      method: 'POST',
      headers: { ...JSON_HEADERS, 'mcp-session-id': sid },
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }),
    });
    expect(otherEndpoint.status).toBe(404);
  });

  it('answers a batch within a 2025-03-26 session with an array', async () => {
    const init = await fetch(url, { method: 'POST', headers: JSON_HEADERS, body: initBody('2025-03-26') });
    const sid = init.headers.get('mcp-session-id') as string;
    const r = await fetch(url, {
      method: 'POST',
      headers: { ...JSON_HEADERS, 'mcp-session-id': sid },
      body: JSON.stringify([
        { jsonrpc: '2.0', id: 'a', method: 'ping' },
        { jsonrpc: '2.0', method: 'notifications/initialized' },
        { jsonrpc: '2.0', id: 'b', method: 'tools/call', params: { name: 'echo', arguments: { x: 1 } } },
      ]),
    });
    const body = await readJson(r);
    expect(body.map((m: { id: string }) => m.id).sort()).toEqual(['a', 'b']);
  });

  it('streams with resumable event ids and replays after Last-Event-ID', async () => {
    const init = await fetch(url, { method: 'POST', headers: JSON_HEADERS, body: initBody() });
    const sid = init.headers.get('mcp-session-id') as string;
    const h = { ...JSON_HEADERS, 'mcp-session-id': sid, 'mcp-protocol-version': '2025-11-25' };
    const res = await fetch(url, {
      method: 'POST',
      headers: h,
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 9,
        method: 'tools/call',
        params: { name: 'progress', arguments: {}, _meta: { progressToken: 't' } },
      }),
    });
    const text = await res.text();
    const ids = text
      .split('\n')
      .filter((l) => l.startsWith('id: '))
      .map((l) => l.slice(4));
    expect(ids.length).toBeGreaterThanOrEqual(5); // priming + 3 progress + response
    const replay = await fetch(url, {
      method: 'GET',
      headers: { ...h, accept: 'text/event-stream', 'last-event-id': ids[1] as string },
    });
    const replayed = sseMessages(await replay.text());
    expect(replayed.map((m) => m.params?.progress ?? 'response')).toEqual([2, 3, 'response']);
  });

  it('refuses a foreign Origin and Host with 403 and accepts loopback ones', async () => {
    const evil = await fetch(url, {
      method: 'POST',
      headers: { ...JSON_HEADERS, origin: 'http://evil.example.com' },
      body: initBody(),
    });
    expect(evil.status).toBe(403);
    const ok = await fetch(url, {
      method: 'POST',
      headers: { ...JSON_HEADERS, origin: run.url },
      body: initBody(),
    });
    expect(ok.status).toBe(200);
  });

  it('answers malformed bodies with -32700/-32600, oversize ones with 413', async () => {
    const bad = await fetch(url, { method: 'POST', headers: JSON_HEADERS, body: '{not json' });
    expect(bad.status).toBe(400);
    expect((await readJson(bad)).error.code).toBe(-32700);
    const invalid = await fetch(url, {
      method: 'POST',
      headers: JSON_HEADERS,
      body: '{"jsonrpc":"1.0","id":3,"method":"x"}',
    });
    expect(invalid.status).toBe(400);
    expect(await readJson(invalid)).toMatchObject({ id: 3, error: { code: -32600 } });
    const small = await startEngine({ backend, maxBodyBytes: 100 });
    try {
      const big = await fetch(`${small.url}/mcp`, {
        method: 'POST',
        headers: JSON_HEADERS,
        body: JSON.stringify({ pad: 'x'.repeat(500) }),
      });
      expect(big.status).toBe(413);
      expect((await readJson(big)).error.message).toContain('100-byte limit');
    } finally {
      await small.close();
    }
  });

  it('answers CORS preflights and exposes Mcp-Session-Id to allowed browser origins', async () => {
    const cors = await startEngine({
      backend,
      cors: { allowedOrigins: ['http://127.0.0.1:9'] },
      dnsRebinding: { allowedOrigins: ['http://127.0.0.1:9'] },
    });
    try {
      const pre = await fetch(`${cors.url}/mcp`, {
        method: 'OPTIONS',
        headers: { origin: 'http://127.0.0.1:9', 'access-control-request-method': 'POST' },
      });
      expect(pre.status).toBe(204);
      expect(pre.headers.get('access-control-allow-headers')).toContain('mcp-session-id');
      const init = await fetch(`${cors.url}/mcp`, {
        method: 'POST',
        headers: { ...JSON_HEADERS, origin: 'http://127.0.0.1:9' },
        body: initBody(),
      });
      expect(init.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:9');
      expect(init.headers.get('access-control-expose-headers')).toContain('mcp-session-id');
      const other = await fetch(`${run.url}/mcp`, {
        method: 'OPTIONS',
        headers: { origin: 'http://127.0.0.1:9' },
      });
      expect(other.status).toBe(404); // no engine CORS configured: the host application's handler answers
    } finally {
      await cors.close();
    }
  });

  it('validates initialize params with the SDK schema and names the bad field', async () => {
    const r = await fetch(url, {
      method: 'POST',
      headers: JSON_HEADERS,
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'x' } },
      }),
    });
    const body = await readJson(r);
    expect(body.error.code).toBe(-32602);
    expect(body.error.message).toContain('params.clientInfo.version');
    expect(r.headers.get('mcp-session-id')).toBeNull();
  });
});
