import { startFixtureProcess } from '@contextforge-internal/conformance';
import { faultyStdioPath } from '@contextforge-internal/faulty-servers';
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLegacyHttpServer, type TestUpstream } from '../upstream/helpers/legacy-servers.js';
import { type ModernUpstream, startModernServer } from '../upstream/helpers/modern-server.js';
import { type Downstream, type ListeningGateway, listeningGateway } from './support.js';

/** What the downstream "user" and "LLM" answer, and what they were asked. */
interface Answers {
  sampled: string[];
  elicited: string[];
}

/** A downstream client that answers sampling and elicitation requests. */
async function answeringClient(gw: ListeningGateway, kind: Downstream, seen: Answers): Promise<Client> {
  return gw.connect(kind, {
    capabilities: { sampling: {}, elicitation: { form: {} } },
    setup(client) {
      client.setRequestHandler('sampling/createMessage', async (req) => {
        seen.sampled.push(JSON.stringify(req.params.messages));
        return { role: 'assistant', content: { type: 'text', text: `LLM via ${kind}` }, model: 'test-model' };
      });
      client.setRequestHandler('elicitation/create', async (req) => {
        seen.elicited.push(req.params.message);
        const schema = (req.params as { requestedSchema?: { properties?: Record<string, unknown> } })
          .requestedSchema;
        const field = Object.keys(schema?.properties ?? { name: {} })[0] as string;
        const boolean = (schema?.properties?.[field] as { type?: string } | undefined)?.type === 'boolean';
        return { action: 'accept', content: { [field]: boolean ? true : `user of ${kind}` } };
      });
    },
  });
}

const text = (r: { content?: unknown }) => JSON.stringify(r.content);

describe('sampling and elicitation round trips through the gateway', () => {
  let gw: ListeningGateway;
  let legacy: TestUpstream;
  let modern: ModernUpstream;
  let fixture: Awaited<ReturnType<typeof startFixtureProcess>>;

  beforeAll(async () => {
    [legacy, modern, fixture, gw] = await Promise.all([
      startLegacyHttpServer({ resourceUri: 'test://legacy-readme' }),
      startModernServer(),
      startFixtureProcess(),
      listeningGateway({ MCPGATEWAY_STDIO_ENABLED: 'true' }),
    ]);
    await gw.register({ name: 'Legacy Up', url: legacy.url, transport: 'STREAMABLEHTTP' });
    await gw.register({ name: 'Modern Up', url: modern.url, transport: 'STREAMABLEHTTP' });
    // The fixture's server→client tools are 2025-era: reach it over its legacy HTTP+SSE endpoint.
    await gw.register({ name: 'Fixture', url: fixture.url.replace(/\/mcp$/, '/sse'), transport: 'SSE' });
    await gw.register({
      name: 'Stdio',
      transport: 'STDIO',
      command: process.execPath,
      args: [faultyStdioPath],
    });
  });
  afterAll(async () => {
    await gw?.close();
    await Promise.allSettled([legacy?.close(), modern?.close(), fixture?.stop()]);
  });

  for (const kind of ['streamable-2025', 'sse', 'websocket'] as const) {
    it(`relays upstream sampling and elicitation requests to a ${kind} client and its answers back`, async () => {
      const seen: Answers = { sampled: [], elicited: [] };
      const client = await answeringClient(gw, kind, seen);
      const sampled = await client.callTool({ name: 'legacy-up-sample', arguments: { prompt: 'Capital?' } });
      expect(text(sampled)).toContain(`LLM via ${kind}`);
      expect(seen.sampled[0]).toContain('Capital?');
      const elicited = await client.callTool({ name: 'legacy-up-elicit', arguments: {} });
      expect(text(elicited)).toContain(`elicited: accept {\\"name\\":\\"user of ${kind}\\"}`);
      const fs = await client.callTool({ name: 'fixture-test_sampling', arguments: { prompt: 'Why?' } });
      expect(text(fs)).toContain(`LLM response: LLM via ${kind}`);
      const fe = await client.callTool({ name: 'fixture-test_elicitation', arguments: { message: 'Who?' } });
      expect(text(fe)).toContain(`action=accept, content={\\"response\\":\\"user of ${kind}\\"}`);
      const ss = await client.callTool({ name: 'stdio-sample', arguments: { prompt: 'stdio?' } });
      expect(text(ss)).toContain(`LLM via ${kind}`);
      const se = await client.callTool({ name: 'stdio-elicit', arguments: {} });
      expect(text(se)).toContain(`user of ${kind}`);
      expect(seen.elicited).toEqual(['Name?', 'Who?', 'Your name?']);
    });
  }

  it('passes a 2026-07-28 upstream’s input_required (MRTR) through to a 2026-07-28 client and its answers back', async () => {
    const seen: Answers = { sampled: [], elicited: [] };
    const client = await answeringClient(gw, 'streamable-2026', seen);
    const r = await client.callTool({ name: 'modern-up-confirm', arguments: {} });
    expect(r.content).toEqual([{ type: 'text', text: 'confirmed: accept' }]);
    expect(seen.elicited).toEqual(['Proceed?']);
  });

  for (const kind of ['streamable-2025', 'websocket'] as const) {
    it(`fulfils a 2026-07-28 upstream’s input_required for a ${kind} client through server→client requests`, async () => {
      const seen: Answers = { sampled: [], elicited: [] };
      const client = await answeringClient(gw, kind, seen);
      const r = await client.callTool({ name: 'modern-up-confirm', arguments: {} });
      expect(r.content).toEqual([{ type: 'text', text: 'confirmed: accept' }]);
      expect(seen.elicited).toEqual(['Proceed?']);
    });
  }

  it('refuses input_required on POST /rpc, where no client can be asked, with clear errors', async () => {
    const r = await gw.rpc({
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: { name: 'modern-up-confirm', arguments: {} },
    });
    // The gateway forwards the caller's (empty) capabilities: the upstream itself refuses to ask.
    expect(r.error, JSON.stringify(r)).toMatchObject({
      code: -32021,
      data: { requiredCapabilities: { elicitation: expect.anything() } },
    });
    // Capabilities claimed in _meta: the upstream asks, and the gateway says why it cannot relay the question.
    const claimed = await gw.rpc({
      jsonrpc: '2.0',
      id: 2,
      method: 'tools/call',
      params: {
        name: 'modern-up-confirm',
        arguments: {},
        _meta: { 'io.modelcontextprotocol/clientCapabilities': { elicitation: { form: {} } } },
      },
    });
    expect(claimed.error, JSON.stringify(claimed)).toMatchObject({
      code: -32603,
      message: expect.stringMatching(/tool 'modern-up-confirm' needs input from the client.*cannot carry/),
    });
  });

  it('tells a 2025-era upstream that a 2026-07-28 client cannot be sampled mid-call (no MRTR bridge that way)', async () => {
    const seen: Answers = { sampled: [], elicited: [] };
    const client = await answeringClient(gw, 'streamable-2026', seen);
    const r = await client.callTool({ name: 'legacy-up-sample', arguments: { prompt: 'Capital?' } });
    // The upstream's sampling request is refused with -32601; the SDK upstream turns that into a tool error.
    expect(r.isError).toBe(true);
    expect(text(r)).toContain('cannot handle sampling/createMessage');
    expect(seen.sampled).toEqual([]);
  });
});
