import { Client, SSEClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HttpFixture, startHttpFixture } from '../src/index.js';

describe('the legacy HTTP+SSE transport (GET /sse + POST /message)', () => {
  let fixture: HttpFixture;
  beforeAll(async () => {
    fixture = await startHttpFixture();
  });
  afterAll(async () => {
    await fixture.close();
  });

  it('serves the SDK SSE client: tools, progress and a server→client elicitation', async () => {
    const client = new Client(
      { name: 'sse-test', version: '1.0.0' },
      { capabilities: { elicitation: { form: {} } } },
    );
    client.setRequestHandler('elicitation/create', async () => ({
      action: 'accept',
      content: { response: 'yes' },
    }));
    await client.connect(new SSEClientTransport(new URL(fixture.sseUrl)));
    try {
      expect(client.getProtocolEra()).toBe('legacy');
      const tools = (await client.listTools()).tools.map((t) => t.name);
      expect(tools).toContain('test_simple_text');
      const progress: number[] = [];
      await client.callTool(
        { name: 'test_tool_with_progress', arguments: {} },
        { onprogress: (p) => progress.push(p.progress) },
      );
      // The v2 client runs notification handlers a microtask late and drops the last progress when the
      // response follows in the same read; the wire order is asserted on the raw stream below.
      expect(progress.slice(0, 2)).toEqual([0, 50]);
      const answer = await client.callTool({ name: 'test_elicitation', arguments: { message: 'ok?' } });
      expect(answer.content).toEqual([
        { type: 'text', text: 'User response: action=accept, content={"response":"yes"}' },
      ]);
    } finally {
      await client.close();
    }
  });

  it('answers bad message POSTs with clear errors', async () => {
    const base = new URL(fixture.sseUrl);
    const post = (path: string, body: unknown) =>
      fetch(new URL(path, base), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const ping = { jsonrpc: '2.0', id: 1, method: 'ping' };
    const missing = await post('/message', ping);
    expect(missing.status).toBe(400);
    expect(await missing.text()).toContain('sessionId query parameter is required');
    const unknown = await post('/message?sessionId=nope', ping);
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain('SSE session not found: nope');

    const stream = await fetch(base, { headers: { accept: 'text/event-stream' } });
    const reader = stream.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    const endpoint = /data: (\S+)/.exec(first)?.[1];
    expect(endpoint).toMatch(/^\/message\?sessionId=[0-9a-f-]{36}$/);
    const invalid = await post(endpoint!, { hello: 'world' });
    expect(invalid.status).toBe(400);
    expect(await invalid.text()).toContain('expected one JSON-RPC request, notification or response');

    // A raw 2025 exchange on the same stream: progress notifications precede the tool result.
    const params = {
      protocolVersion: '2025-11-25',
      capabilities: {},
      clientInfo: { name: 'raw', version: '1' },
    };
    expect((await post(endpoint!, { jsonrpc: '2.0', id: 1, method: 'initialize', params })).status).toBe(202);
    await post(endpoint!, { jsonrpc: '2.0', method: 'notifications/initialized' });
    const call = { name: 'test_tool_with_progress', arguments: {}, _meta: { progressToken: 7 } };
    expect(
      (await post(endpoint!, { jsonrpc: '2.0', id: 2, method: 'tools/call', params: call })).status,
    ).toBe(202);
    const events: Array<{ id?: number; method?: string; params?: { progress?: number } }> = [];
    let buffer = '';
    while (!events.some((e) => e.id === 2)) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += new TextDecoder().decode(value);
      for (const match of buffer.matchAll(/^data: (\{.*\})$/gm)) events.push(JSON.parse(match[1] ?? '{}'));
      buffer = buffer.slice(buffer.lastIndexOf('\n\n') + 2);
    }
    const afterInit = events.filter((e) => e.id !== 1);
    expect(afterInit.map((e) => e.method ?? `result ${e.id}`)).toEqual([
      'notifications/progress',
      'notifications/progress',
      'notifications/progress',
      'result 2',
    ]);
    expect(afterInit.slice(0, 3).map((e) => e.params?.progress)).toEqual([0, 50, 100]);
    await reader.cancel();
  });
});
