import { type FixtureProcess, startFixtureProcess } from '@contextforge-internal/conformance';
import { faultyStdioPath } from '@contextforge-internal/faulty-servers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUpstreamPool, type McpUpstreamPool } from '../../src/index.js';
import { type ModernUpstream, startModernServer } from './helpers/modern-server.js';

/** What a 2025-era downstream client answers to `sampling/createMessage`. */
const answerSampling = async (method: string) => {
  expect(method).toBe('sampling/createMessage');
  return { role: 'assistant', content: { type: 'text', text: 'from the client' }, model: 'test' };
};

describe('2025-era callers of an upstream that speaks 2026-07-28', () => {
  let fixture: FixtureProcess;
  let modernOnly: ModernUpstream;
  let pool: McpUpstreamPool;

  beforeAll(async () => {
    [fixture, modernOnly] = await Promise.all([startFixtureProcess(), startModernServer()]);
    pool = createUpstreamPool({ health: { intervalMs: 0 }, timeoutMs: 10_000 });
  });
  afterAll(async () => {
    await pool?.close();
    await Promise.all([fixture?.stop(), modernOnly?.close()]);
  });

  it('get a 2025-era session when they can answer server→client requests, so mid-call sampling reaches them', async () => {
    const client = await pool.get({
      id: 'dual',
      name: 'dual',
      transport: 'streamable-http',
      url: fixture.url,
    });
    await client.discover();
    expect(client.era).toBe('modern');
    const asked = await client.callTool(
      'test_sampling',
      { prompt: 'hi' },
      { onServerRequest: answerSampling },
    );
    expect(asked).toMatchObject({ content: [{ type: 'text', text: 'LLM response: from the client' }] });
    // A 2026-07-28 caller stays on the stateless connection, where the tool cannot ask.
    const stateless = await client.callTool('test_sampling', { prompt: 'hi' });
    expect(JSON.stringify(stateless)).toContain('Sampling not supported');
  });

  it('share the 2026-07-28 connection when the upstream refuses initialize', async () => {
    const client = await pool.get({
      id: 'modern-only',
      name: 'm',
      transport: 'streamable-http',
      url: modernOnly.url,
    });
    for (const text of ['a', 'b'])
      expect(await client.callTool('echo', { text }, { onServerRequest: answerSampling })).toMatchObject({
        content: [{ type: 'text', text }],
      });
    expect(client.era).toBe('modern');
    expect(modernOnly.methods.get('tools/call')).toBe(2);
  });

  it('share the 2026-07-28 connection when no stdio process is left for a second session', async () => {
    const tight = createUpstreamPool({
      health: { intervalMs: 0 },
      stdio: { enabled: true, maxProcessesPerServer: 1 },
    });
    try {
      const spec = {
        id: 'stdio-modern',
        name: 's',
        transport: 'stdio' as const,
        command: process.execPath,
        args: [faultyStdioPath, '--modern'],
      };
      const client = await tight.get(spec);
      await client.discover();
      expect(client.era).toBe('modern');
      expect(
        await client.callTool('echo', { text: 'one' }, { onServerRequest: answerSampling }),
      ).toMatchObject({
        content: [{ type: 'text', text: 'one' }],
      });
    } finally {
      await tight.close();
    }
  });
});
