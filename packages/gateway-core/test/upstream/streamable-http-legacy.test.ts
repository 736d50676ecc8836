import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUpstreamPool, type McpUpstreamPool, type UpstreamSpec } from '../../src/index.js';
import { startLegacyHttpServer, type TestUpstream } from './helpers/legacy-servers.js';
import { rejection, waitFor } from './helpers/processes.js';

describe('streamable HTTP upstream, 2025-era server (official SDK v1, stateful sessions)', () => {
  let upstream: TestUpstream;
  let pool: McpUpstreamPool;
  let spec: UpstreamSpec;

  beforeAll(async () => {
    upstream = await startLegacyHttpServer();
    pool = createUpstreamPool({ health: { intervalMs: 0 }, timeoutMs: 5000 });
    spec = { id: 'legacy', name: 'legacy', transport: 'streamable-http', url: upstream.url };
  });
  afterAll(async () => {
    await pool.close();
    await upstream.close();
  });

  it('falls back from the server/discover probe to initialize and reuses one session', async () => {
    const client = await pool.get(spec);
    expect(client.era).toBe('legacy');
    const before = upstream.observed.initialized.length;
    for (let i = 0; i < 5; i++) {
      expect(await client.callTool('echo', { text: `n${i}` })).toEqual({
        content: [{ type: 'text', text: `n${i}` }],
      });
    }
    expect(upstream.observed.initialized.length).toBe(before);
    expect(await pool.get(spec)).toBe(client);
  });

  it('discovers tools, resources and prompts with the negotiated revision', async () => {
    const client = await pool.get(spec);
    const d = await client.discover();
    expect(d.protocolVersion).toBe('2025-11-25');
    expect(d.serverInfo).toMatchObject({ name: 'legacy-test', version: '1.0.0' });
    expect(d.tools.map((t) => t.name)).toEqual(
      expect.arrayContaining(['echo', 'progress', 'slow', 'sample', 'elicit']),
    );
    expect(d.resources.map((r) => r.uri)).toContain('test://readme');
    expect(d.prompts.map((p) => p.name)).toContain('greet');
    expect(await client.readResource('test://readme')).toMatchObject({
      contents: [{ text: 'hello resource' }],
    });
    expect(await client.getPrompt('greet', { who: 'Ada' })).toMatchObject({
      messages: [{ content: { text: 'Hello Ada' } }],
    });
  });

  it('re-initialises transparently when the upstream forgot the session (404)', async () => {
    const client = await pool.get(spec);
    for (const s of upstream.servers) await s.close(); // the server restarts: every session is gone
    const before = upstream.observed.initialized.length;
    expect(await client.callTool('echo', { text: 'after restart' })).toEqual({
      content: [{ type: 'text', text: 'after restart' }],
    });
    expect(upstream.observed.initialized.length).toBe(before + 1);
  });

  it('reports a JSON-RPC error answer as a remote error carrying the upstream code', async () => {
    const client = await pool.get(spec);
    const result = await client.callTool('fail', {});
    expect(result).toMatchObject({ isError: true });
    const err = await rejection(client.request('no/such/method', {}));
    expect(err).toMatchObject({
      name: 'UpstreamError',
      code: 'remote',
      rpcCode: -32601,
      upstreamId: 'legacy',
    });
  });

  it('forwards progress notifications of the call to onProgress', async () => {
    const client = await pool.get(spec);
    const seen: unknown[] = [];
    const r = await client.callTool('progress', { steps: 3 }, { onProgress: (p) => seen.push(p) });
    expect(r).toEqual({ content: [{ type: 'text', text: 'done 3' }] });
    expect(seen).toEqual([
      { progress: 1, total: 3, message: 'step 1' },
      { progress: 2, total: 3, message: 'step 2' },
      { progress: 3, total: 3, message: 'step 3' },
    ]);
  });

  it('delivers log notifications of the call to onLog', async () => {
    const client = await pool.get(spec);
    const logs: unknown[] = [];
    await client.callTool('log', {}, { onLog: (p) => logs.push(p) });
    expect(logs).toEqual([{ level: 'info', logger: 'test', data: 'log line' }]);
  });

  it('cancels upstream with notifications/cancelled when the caller aborts', async () => {
    const client = await pool.get(spec);
    const ac = new AbortController();
    const call = client.callTool('slow', { ms: 5000 }, { signal: ac.signal });
    await waitFor(() => (upstream.observed.calls.get('slow') ?? 0) > 0, 'the slow call to start');
    ac.abort();
    const err = await rejection(call);
    expect(err).toMatchObject({ code: 'cancelled' });
    await waitFor(() => upstream.observed.cancelled.length > 0, 'the upstream to see the cancellation');
  });

  it('times out within the budget and tells the upstream to stop', async () => {
    const client = await pool.get(spec);
    const before = upstream.observed.cancelled.length;
    const t0 = Date.now();
    const err = await rejection(client.callTool('slow', { ms: 5000 }, { timeoutMs: 300 }));
    expect(err).toMatchObject({ code: 'timeout' });
    expect(err.message).toMatch(/no answer to tools\/call within \d+ ms/);
    expect(Date.now() - t0).toBeLessThan(4000);
    await waitFor(() => upstream.observed.cancelled.length > before, 'the upstream to see the cancellation');
  });

  it('routes sampling, elicitation and roots requests of a call to onServerRequest and returns the answers', async () => {
    const client = await pool.get(spec);
    const asked: string[] = [];
    const onServerRequest = async (method: string, params: unknown) => {
      asked.push(method);
      if (method === 'sampling/createMessage') {
        expect(params).toMatchObject({ messages: [{ content: { text: 'hello?' } }] });
        return { role: 'assistant', content: { type: 'text', text: 'model says hi' }, model: 'test-model' };
      }
      if (method === 'elicitation/create') return { action: 'accept', content: { name: 'Ada' } };
      return { roots: [{ uri: 'file:///work', name: 'work' }] };
    };
    expect(await client.callTool('sample', { prompt: 'hello?' }, { onServerRequest })).toEqual({
      content: [{ type: 'text', text: 'sampled: {"type":"text","text":"model says hi"}' }],
    });
    expect(await client.callTool('elicit', {}, { onServerRequest })).toEqual({
      content: [{ type: 'text', text: 'elicited: accept {"name":"Ada"}' }],
    });
    expect(await client.callTool('roots', {}, { onServerRequest })).toEqual({
      content: [{ type: 'text', text: 'roots: file:///work' }],
    });
    expect(asked).toEqual(['sampling/createMessage', 'elicitation/create', 'roots/list']);
  });

  it('returns a handler failure to the upstream as a JSON-RPC error', async () => {
    const client = await pool.get(spec);
    const r = await client.callTool(
      'elicit',
      {},
      {
        onServerRequest: async () => {
          throw new Error('user closed the dialog');
        },
      },
    );
    expect(r).toMatchObject({
      isError: true,
      content: [{ text: expect.stringContaining('user closed the dialog') }],
    });
  });

  it('isolates downstream sessions in separate upstream sessions and reuses each', async () => {
    const client = await pool.get(spec);
    const a1 = await client.callTool('whoami', {}, { sessionKey: 'downstream-A' });
    const b1 = await client.callTool('whoami', {}, { sessionKey: 'downstream-B' });
    const a2 = await client.callTool('whoami', {}, { sessionKey: 'downstream-A' });
    const shared = await client.callTool('whoami', {});
    const text = (r: Record<string, unknown>) => (r.content as { text: string }[])[0]?.text;
    expect(text(a1)).toBe(text(a2));
    expect(text(a1)).not.toBe(text(b1));
    expect(text(shared)).not.toBe(text(a1));
    expect(text(shared)).not.toBe(text(b1));
  });

  it('delivers list_changed from the GET stream', async () => {
    const client = await pool.get(spec);
    const kinds: string[] = [];
    const off = client.on('list_changed', (k) => kinds.push(k));
    // Give the GET stream a moment to open, then change the tool list from inside a call.
    await new Promise((r) => setTimeout(r, 200));
    await client.callTool('add_tool', { name: `t${Date.now()}` });
    await waitFor(() => kinds.includes('tools'), 'a tools list_changed event');
    off();
  });

  it('delivers resources/updated for a subscribed resource', async () => {
    const client = await pool.get(spec);
    const uris: string[] = [];
    const off = client.on('resource_updated', (u) => uris.push(u));
    await client.subscribeResource('test://readme');
    await new Promise((r) => setTimeout(r, 200));
    await client.callTool('touch', { uri: 'test://readme' });
    await waitFor(() => uris.includes('test://readme'), 'a resource_updated event');
    await client.unsubscribeResource('test://readme');
    off();
  });
});

describe('streamable HTTP upstream, 2025-11-25 resumable server (event store, SSE polling)', () => {
  it('resumes a response stream the server closed early, with Last-Event-ID', async () => {
    const upstream = await startLegacyHttpServer({ resumable: true });
    const pool = createUpstreamPool({ health: { intervalMs: 0 }, timeoutMs: 5000 });
    try {
      const client = await pool.get({
        id: 'resumable',
        name: 'resumable',
        transport: 'streamable-http',
        url: upstream.url,
      });
      expect(await client.callTool('echo', { text: 'framed as SSE with ids' })).toEqual({
        content: [{ type: 'text', text: 'framed as SSE with ids' }],
      });
      expect(upstream.observed.resumed).toBe(0);
      expect(await client.callTool('poll', { ms: 200 })).toEqual({
        content: [{ type: 'text', text: 'polled' }],
      });
      expect(upstream.observed.resumed).toBeGreaterThan(0);
    } finally {
      await pool.close();
      await upstream.close();
    }
  });
});
