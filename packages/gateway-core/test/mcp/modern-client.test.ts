import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEchoBackend } from './support/echo-backend.js';
import { type RunningEngine, startEngine } from './support/start-engine.js';

describe('the official SDK client pinned to 2026-07-28', () => {
  let run: RunningEngine;
  const { backend } = createEchoBackend();

  beforeAll(async () => {
    run = await startEngine({ backend });
  });
  afterAll(() => run.close());

  async function connect(capabilities: Record<string, unknown> = {}) {
    const client = new Client(
      { name: 'modern', version: '1' },
      { capabilities, versionNegotiation: { mode: { pin: '2026-07-28' } } },
    );
    await client.connect(new StreamableHTTPClientTransport(new URL(`${run.url}/servers/m1/mcp`)));
    return client;
  }

  it('discovers, lists and calls tools statelessly', async () => {
    const client = await connect();
    expect(client.getServerVersion()?.name).toBe('server-m1');
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toContain('echo');
    const r = await client.callTool({ name: 'echo', arguments: { a: 'b' } });
    expect(r.content).toEqual([{ type: 'text', text: '{"a":"b"}' }]);
    await client.close();
  });

  it('completes an MRTR round trip: input_required out, inputResponses and requestState back', async () => {
    const client = await connect({ elicitation: {} });
    client.setRequestHandler('elicitation/create', async () => ({
      action: 'accept',
      content: { name: 'Ada' },
    }));
    const r = await client.callTool({ name: 'mrtr', arguments: {} });
    expect(r.content).toEqual([
      { type: 'text', text: 'hello {"action":"accept","content":{"name":"Ada"}} state-1' },
    ]);
    await client.close();
  });

  it('relays progress of a call on its response stream', async () => {
    const client = await connect();
    const seen: number[] = [];
    await client.callTool(
      { name: 'progress', arguments: { ms: 20 } },
      { onprogress: (p) => seen.push(p.progress) },
    );
    expect(seen.length).toBeGreaterThanOrEqual(2);
    await client.close();
  });
});
