import { startFixtureProcess } from '@contextforge-internal/conformance';
import { type EchoServer, startEchoServer } from '@contextforge-internal/echo-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startLegacySseServer,
  startWebSocketServer,
  type TestUpstream,
} from '../upstream/helpers/legacy-servers.js';
import { DOWNSTREAMS, type ListeningGateway, listeningGateway } from './support.js';

/** Echo tool of each upstream (namespaced) → what the upstream is, for the echoed text and failure messages. */
const ECHO_TOOLS = {
  'echo-modern-echo': 'echo-http 2026-07-28 streamable HTTP',
  'echo-legacy-echo': 'echo-http 2025 session streamable HTTP',
  'sdk-sse-echo': 'SDK v1 HTTP+SSE',
  'sdk-ws-echo': 'SDK v1 WebSocket',
} as const;

describe('every downstream transport × upstreams of both eras and every remote transport', () => {
  let gw: ListeningGateway;
  let modern: EchoServer;
  let legacy: EchoServer;
  let sse: TestUpstream;
  let ws: TestUpstream;
  let fixture: Awaited<ReturnType<typeof startFixtureProcess>>;
  let serverId: string;
  /** Gateway id by registered name. */
  const gateways: Record<string, string> = {};

  beforeAll(async () => {
    [modern, legacy, sse, ws, fixture, gw] = await Promise.all([
      startEchoServer({ era: 'modern' }),
      startEchoServer({ era: 'legacy' }),
      startLegacySseServer({ resourceUri: 'test://sse-readme' }),
      startWebSocketServer({ resourceUri: 'test://ws-readme' }),
      startFixtureProcess(),
      listeningGateway(),
    ]);
    const specs = [
      { name: 'Echo Modern', url: modern.url, transport: 'STREAMABLEHTTP' },
      { name: 'Echo Legacy', url: legacy.url, transport: 'STREAMABLEHTTP' },
      { name: 'SDK SSE', url: sse.url, transport: 'SSE' },
      { name: 'SDK WS', url: ws.url, transport: 'WEBSOCKET' },
      { name: 'Fixture', url: fixture.url, transport: 'STREAMABLEHTTP' },
    ];
    for (const spec of specs) {
      const g = await gw.register(spec);
      expect(g.reachable, `${spec.name}: ${JSON.stringify(g)}`).toBe(true);
      gateways[spec.name] = g.id;
    }
    const tools = (await gw.call('GET', '/v1/tools?limit=500')).body;
    const resources = (await gw.call('GET', '/v1/resources?limit=500')).body;
    const prompts = (await gw.call('GET', '/v1/prompts?limit=500')).body;
    const srv = await gw.call('POST', '/v1/servers', {
      name: 'everything',
      associated_tools: tools.map((t: { id: string }) => t.id),
      associated_resources: resources.map((r: { id: string }) => r.id),
      associated_prompts: prompts.map((p: { id: string }) => p.id),
    });
    expect(srv.status, JSON.stringify(srv.body)).toBe(201);
    serverId = srv.body.id;
  });
  afterAll(async () => {
    await gw?.close();
    await Promise.allSettled([modern?.close(), legacy?.close(), sse?.close(), ws?.close(), fixture?.stop()]);
  });

  it('negotiates each upstream’s era on its own (2026-07-28 probe, 2025 fallback)', async () => {
    const era = async (name: string) => (await gw.gw.invoke?.upstreams.client(gateways[name] ?? ''))?.era;
    expect(await era('Echo Modern')).toBe('modern');
    expect(await era('Echo Legacy')).toBe('legacy');
    expect(await era('SDK SSE')).toBe('legacy');
    expect(await era('SDK WS')).toBe('legacy');
    expect(await era('Fixture')).toBe('modern');
  });

  for (const kind of DOWNSTREAMS) {
    it(`serves ${kind} clients: tools of every upstream, a resource and a prompt, through /servers/{id}`, async () => {
      const client = await gw.connect(kind, { serverId });
      expect(client.getServerVersion()?.name).toBe('contextforge');
      const names = (await client.listTools()).tools.map((t) => t.name);
      for (const tool of [...Object.keys(ECHO_TOOLS), 'fixture-test_simple_text'])
        expect(names, `${kind}: tools/list`).toContain(tool);
      for (const [tool, label] of Object.entries(ECHO_TOOLS)) {
        const text = `${kind} via ${label}`;
        const r = await client.callTool({ name: tool, arguments: { text } });
        expect(r.content, `${kind} → ${tool}`).toEqual([{ type: 'text', text }]);
      }
      const rich = await client.callTool({ name: 'fixture-test_image_content', arguments: {} });
      expect(rich.content).toEqual([{ type: 'image', data: expect.any(String), mimeType: 'image/png' }]);
      const failing = await client.callTool({ name: 'fixture-test_error_handling', arguments: {} });
      expect(failing.isError).toBe(true);

      const read = await client.readResource({ uri: 'test://static-text' });
      expect(read.contents[0]).toMatchObject({ uri: 'test://static-text', text: expect.any(String) });
      const readSse = await client.readResource({ uri: 'test://sse-readme' });
      expect(readSse.contents[0]).toMatchObject({ text: 'hello resource' });
      const prompt = await client.getPrompt({
        name: 'fixture-test_prompt_with_arguments',
        arguments: { arg1: 'a1', arg2: 'a2' },
      });
      expect(JSON.stringify(prompt.messages)).toContain('a1');
      await client.close();
    });
  }

  it('serves the whole catalog on /mcp, /sse and /ws to every transport', async () => {
    for (const kind of DOWNSTREAMS) {
      const client = await gw.connect(kind);
      const names = (await client.listTools()).tools.map((t) => t.name);
      expect(names, kind).toEqual(
        expect.arrayContaining([...Object.keys(ECHO_TOOLS), 'fixture-test_simple_text']),
      );
      const r = await client.callTool({ name: 'sdk-ws-echo', arguments: { text: `${kind} on scope all` } });
      expect(r.content, kind).toEqual([{ type: 'text', text: `${kind} on scope all` }]);
      await client.close();
    }
  });

  it('serves POST /rpc (scope all): single and batch calls reach upstreams of both eras', async () => {
    const one = await gw.rpc({
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: { name: 'echo-modern-echo', arguments: { text: 'rpc modern' } },
    });
    expect(one.result?.content, JSON.stringify(one)).toEqual([{ type: 'text', text: 'rpc modern' }]);
    const batch = await gw.rpc(
      Object.keys(ECHO_TOOLS).map((name, i) => ({
        jsonrpc: '2.0',
        id: `b${i}`,
        method: 'tools/call',
        params: { name, arguments: { text: `rpc ${name}` } },
      })),
    );
    expect(batch).toHaveLength(4);
    for (const [i, name] of Object.keys(ECHO_TOOLS).entries()) {
      const item = batch.find((b: { id: string }) => b.id === `b${i}`);
      expect(item?.result?.content, JSON.stringify(item)).toEqual([{ type: 'text', text: `rpc ${name}` }]);
    }
  });
});
