import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUpstreamPool, type McpUpstreamPool } from '../../src/index.js';
import { startLegacySseServer, startWebSocketServer, type TestUpstream } from './helpers/legacy-servers.js';
import { rejection, waitFor } from './helpers/processes.js';

describe('WebSocket upstream (2025-era, SDK v1 server behind a ws adapter)', () => {
  let upstream: Awaited<ReturnType<typeof startWebSocketServer>>;
  let pool: McpUpstreamPool;
  beforeAll(async () => {
    upstream = await startWebSocketServer();
    pool = createUpstreamPool({
      health: { intervalMs: 0 },
      timeoutMs: 5000,
      stdio: { restartInitialDelayMs: 20, restartMaxDelayMs: 200 },
    });
  });
  afterAll(async () => {
    await pool.close();
    await upstream.close();
  });

  it('probes, falls back to initialize, discovers and calls', async () => {
    const client = await pool.get({ id: 'ws', name: 'ws', transport: 'websocket', url: upstream.url });
    expect(client.era).toBe('legacy');
    const d = await client.discover();
    expect(d.tools.map((t) => t.name)).toContain('echo');
    expect(await client.callTool('echo', { text: 'over ws' })).toEqual({
      content: [{ type: 'text', text: 'over ws' }],
    });
  });

  it('routes progress and server→client requests on the socket', async () => {
    const client = await pool.get({ id: 'ws', name: 'ws', transport: 'websocket', url: upstream.url });
    const seen: number[] = [];
    await client.callTool('progress', { steps: 2 }, { onProgress: (p) => seen.push(p.progress) });
    expect(seen).toEqual([1, 2]);
    const r = await client.callTool(
      'elicit',
      {},
      { onServerRequest: async () => ({ action: 'accept', content: { name: 'W' } }) },
    );
    expect(r).toEqual({ content: [{ type: 'text', text: 'elicited: accept {"name":"W"}' }] });
  });

  it('fails pending calls when the socket drops and reconnects for the next call', async () => {
    const client = await pool.get({ id: 'ws', name: 'ws', transport: 'websocket', url: upstream.url });
    const pending = client.callTool('slow', { ms: 5000 });
    await new Promise((r) => setTimeout(r, 100));
    upstream.dropAll();
    const err = await rejection(pending);
    expect(err.code).toBe('unreachable');
    expect(err.message).toContain('WebSocket closed');
    await waitFor(async () => {
      try {
        return (await client.callTool('echo', { text: 'again' }, { timeoutMs: 1000 })) !== undefined;
      } catch {
        return false;
      }
    }, 'a reconnect');
  });

  it('reports a refused upgrade with its HTTP status', async () => {
    const err = await rejection(
      pool.get({
        id: 'ws-bad',
        name: 'ws-bad',
        transport: 'websocket',
        url: upstream.url.replace('/ws', '/nope'),
      }),
    );
    expect(['http', 'unreachable']).toContain(err.code);
    await pool.remove('ws-bad');
  });
});

describe('legacy HTTP+SSE upstream (SDK v1 SSEServerTransport)', () => {
  let upstream: TestUpstream;
  let pool: McpUpstreamPool;
  beforeAll(async () => {
    upstream = await startLegacySseServer();
    pool = createUpstreamPool({ health: { intervalMs: 0 }, timeoutMs: 5000 });
  });
  afterAll(async () => {
    await pool.close();
    await upstream.close();
  });

  it('opens the stream, follows the endpoint event, initialises and calls (no probe)', async () => {
    const client = await pool.get({ id: 'sse', name: 'sse', transport: 'sse', url: upstream.url });
    expect(client.era).toBe('legacy');
    const d = await client.discover();
    expect(d.resources.map((r) => r.uri)).toContain('test://readme');
    expect(await client.callTool('echo', { text: 'over sse' })).toEqual({
      content: [{ type: 'text', text: 'over sse' }],
    });
  });

  it('routes sampling through the stream and the answer back through the message endpoint', async () => {
    const client = await pool.get({ id: 'sse', name: 'sse', transport: 'sse', url: upstream.url });
    const r = await client.callTool(
      'sample',
      { prompt: 'p' },
      {
        onServerRequest: async () => ({
          role: 'assistant',
          content: { type: 'text', text: 'via sse' },
          model: 'm',
        }),
      },
    );
    expect(JSON.stringify(r)).toContain('via sse');
  });

  it('cancels with notifications/cancelled', async () => {
    const client = await pool.get({ id: 'sse', name: 'sse', transport: 'sse', url: upstream.url });
    const ac = new AbortController();
    const call = client.callTool('slow', { ms: 5000 }, { signal: ac.signal });
    await waitFor(() => (upstream.observed.calls.get('slow') ?? 0) > 0, 'the call to start');
    ac.abort();
    expect(await rejection(call)).toMatchObject({ code: 'cancelled' });
    await waitFor(() => upstream.observed.cancelled.length > 0, 'the upstream to see it');
  });

  it('refuses an endpoint event pointing at another origin', async () => {
    const { createServer } = await import('node:http');
    const evil = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('event: endpoint\ndata: http://attacker.example/steal\n\n');
    });
    await new Promise<void>((r) => evil.listen(0, '127.0.0.1', () => r()));
    const port = (evil.address() as { port: number }).port;
    try {
      const err = await rejection(
        pool.get({ id: 'evil', name: 'evil', transport: 'sse', url: `http://127.0.0.1:${port}/sse` }),
      );
      expect(err).toMatchObject({ code: 'protocol' });
      expect(err.message).toContain('another origin');
    } finally {
      await pool.remove('evil');
      evil.closeAllConnections();
      await new Promise((r) => evil.close(r));
    }
  });
});
