import { fileURLToPath } from 'node:url';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HttpFixture, startHttpFixture } from '../src/index.js';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

/** Fixture names every conformance run needs, a sample across tools, resources and prompts. */
const EXPECTED_TOOLS = [
  'test_simple_text',
  'test_tool_with_progress',
  'test_sampling',
  'test_elicitation',
  'json_schema_2020_12_tool',
  'test_input_required_result_multi_round',
  'test_missing_capability',
  'test_trigger_tool_change',
];

type Era = { pin: string } | 'legacy';

function client(era: Era) {
  return new Client({ name: 'fixture-test', version: '1.0.0' }, { versionNegotiation: { mode: era } });
}

async function exercise(connected: Client, transport: 'http' | 'stdio') {
  const tools = (await connected.listTools()).tools.map((t) => t.name);
  expect(tools).toEqual(expect.arrayContaining(EXPECTED_TOOLS));
  const text = await connected.callTool({ name: 'test_simple_text', arguments: {} });
  expect(text.content).toEqual([{ type: 'text', text: 'This is a simple text response for testing.' }]);
  const failing = await connected.callTool({ name: 'test_error_handling', arguments: {} });
  expect(failing.isError).toBe(true);
  const resource = await connected.readResource({ uri: 'test://template/42/data' });
  expect(JSON.parse(String((resource.contents[0] as { text: string }).text))).toMatchObject({ id: '42' });
  const prompt = await connected.getPrompt({
    name: 'test_prompt_with_arguments',
    arguments: { arg1: 'a', arg2: 'b' },
  });
  expect(prompt.messages[0]?.content).toEqual({
    type: 'text',
    text: "Prompt with arguments: arg1='a', arg2='b'",
  });
  const progress: number[] = [];
  await connected.callTool(
    { name: 'test_tool_with_progress', arguments: {} },
    { onprogress: (p) => progress.push(p.progress) },
  );
  if (transport === 'http') {
    expect(progress).toEqual([0, 50, 100]);
  } else {
    // The v2 client drops a progress notification that arrives in the same stdout chunk as the
    // response (its handler is removed first). The fixture's wire order over stdio is asserted on raw
    // lines in cli.test.ts instead. How many coalesce depends on scheduling (a loaded machine merges
    // more), so only order and values are asserted here.
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.every((p) => [0, 50, 100].includes(p))).toBe(true);
    expect([...progress].sort((a, b) => a - b)).toEqual(progress);
  }
}

describe('the fixture with the official SDK client', () => {
  let http: HttpFixture;
  beforeAll(async () => {
    http = await startHttpFixture();
  });
  afterAll(async () => {
    await http.close();
  });

  it.each<[string, Era]>([
    ['2025-era session', 'legacy'],
    ['2026-07-28 stateless', { pin: '2026-07-28' }],
  ])('serves tools, resources, prompts and progress over streamable HTTP (%s)', async (_label, era) => {
    const c = client(era);
    await c.connect(new StreamableHTTPClientTransport(new URL(http.url)));
    try {
      expect(c.getProtocolEra()).toBe(era === 'legacy' ? 'legacy' : 'modern');
      await exercise(c, 'http');
    } finally {
      await c.close();
    }
  });

  it.each<[string, Era]>([
    ['2025-era', 'legacy'],
    ['2026-07-28', { pin: '2026-07-28' }],
  ])('serves the same over stdio from the built CLI (%s)', async (_label, era) => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [cli, '--stdio'],
      stderr: 'pipe',
    });
    const c = client(era);
    try {
      await c.connect(transport);
      expect(c.getProtocolEra()).toBe(era === 'legacy' ? 'legacy' : 'modern');
      await exercise(c, 'stdio');
    } finally {
      // Closing the transport ends the child even when connect failed.
      await c.close();
      await transport.close();
    }
  });

  it('answers an elicitation round trip inside a 2025-era tool call', async () => {
    const c = new Client(
      { name: 'fixture-test', version: '1.0.0' },
      { capabilities: { elicitation: { form: {} } } },
    );
    c.setRequestHandler('elicitation/create', async () => ({
      action: 'accept',
      content: { response: 'hi' },
    }));
    await c.connect(new StreamableHTTPClientTransport(new URL(http.url)));
    try {
      const result = await c.callTool({ name: 'test_elicitation', arguments: { message: 'Say hi' } });
      expect(result.content).toEqual([
        { type: 'text', text: 'User response: action=accept, content={"response":"hi"}' },
      ]);
    } finally {
      await c.close();
    }
  });
});
