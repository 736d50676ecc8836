import { startEchoServer } from '@contextforge-internal/echo-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUpstreamPool, type McpUpstreamPool, type UpstreamSpec } from '../../src/index.js';
import { type ModernUpstream, startModernServer } from './helpers/modern-server.js';
import { rejection, waitFor } from './helpers/processes.js';

describe('streamable HTTP upstream, 2026-07-28 server (official SDK v2, stateless)', () => {
  let upstream: ModernUpstream;
  let pool: McpUpstreamPool;
  let spec: UpstreamSpec;

  beforeAll(async () => {
    upstream = await startModernServer();
    pool = createUpstreamPool({ health: { intervalMs: 0 }, timeoutMs: 5000 });
    spec = { id: 'modern', name: 'modern', transport: 'streamable-http', url: upstream.url };
  });
  afterAll(async () => {
    await pool.close();
    await upstream.close();
  });

  it('detects the stateless era with server/discover and sends the required headers (the SDK validates them)', async () => {
    const client = await pool.get(spec);
    expect(client.era).toBe('modern');
    expect(await client.callTool('echo', { text: 'hi' })).toMatchObject({
      content: [{ type: 'text', text: 'hi' }],
    });
    expect(upstream.methods.get('server/discover')).toBeGreaterThan(0);
    expect(upstream.methods.get('initialize')).toBeUndefined();
  });

  it('discovers lists with serverInfo from the discover result meta', async () => {
    const client = await pool.get(spec);
    const d = await client.discover();
    expect(d.protocolVersion).toBe('2026-07-28');
    expect(d.serverInfo).toMatchObject({ name: 'modern-test', version: '2.0.0' });
    expect(d.tools.map((t) => t.name)).toEqual(
      expect.arrayContaining(['echo', 'progress', 'regional', 'confirm']),
    );
    expect(d.resources.map((r) => r.uri)).toContain('test://readme');
    expect(d.prompts.map((p) => p.name)).toContain('greet');
    expect(await client.readResource('test://readme')).toMatchObject({
      contents: [{ text: 'modern resource' }],
    });
    expect(await client.getPrompt('greet', { who: 'Bo' })).toMatchObject({
      messages: [{ content: { text: 'Hi Bo' } }],
    });
  });

  it('mirrors x-mcp-header arguments into Mcp-Param headers after discovery', async () => {
    const client = await pool.get(spec);
    await client.discover();
    expect(await client.callTool('regional', { region: 'eu-west-1', text: 'x' })).toMatchObject({
      content: [{ text: 'eu-west-1:x' }],
    });
    expect(await client.callTool('regional', { region: 'Zürich ', text: 'y' })).toMatchObject({
      content: [{ text: 'Zürich :y' }],
    });
    expect(upstream.regions).toEqual(['eu-west-1', 'Zürich ']);
  });

  it('forwards passthrough headers but never lets them override protocol headers', async () => {
    const client = await pool.get(spec);
    const r = await client.callTool(
      'echo',
      { text: 'h' },
      {
        headers: {
          'X-Tenant': 'acme',
          'Mcp-Method': 'evil',
          'content-type': 'text/plain',
          'Mcp-Session-Id': 'x',
        },
      },
    );
    expect(r).toMatchObject({ content: [{ text: 'h' }] });
    expect(upstream.lastCallHeaders).toMatchObject({
      'x-tenant': 'acme',
      'mcp-method': 'tools/call',
      'mcp-name': 'echo',
      'content-type': 'application/json',
    });
    expect(upstream.lastCallHeaders['mcp-session-id']).toBeUndefined();
  });

  it('passes an MRTR input_required result through untouched and completes on retry with inputResponses', async () => {
    const client = await pool.get(spec);
    const first = await client.callTool('confirm', {});
    expect(first).toMatchObject({ resultType: 'input_required', requestState: 'opaque-state-1' });
    expect(first.inputRequests).toMatchObject({ ok: { method: 'elicitation/create' } });
    const second = await client.callTool(
      'confirm',
      {},
      {
        inputResponses: { ok: { action: 'accept', content: { yes: true } } },
        requestState: first.requestState as string,
      },
    );
    expect(second).toMatchObject({ content: [{ text: 'confirmed: accept' }] });
  });

  it('forwards progress from the SSE-upgraded response', async () => {
    const client = await pool.get(spec);
    const seen: number[] = [];
    expect(
      await client.callTool('progress', { steps: 4 }, { onProgress: (p) => seen.push(p.progress) }),
    ).toMatchObject({
      content: [{ text: 'done 4' }],
    });
    expect(seen).toEqual([1, 2, 3, 4]);
  });

  it('cancels by closing the request stream (2026-07-28 has no notifications/cancelled)', async () => {
    const client = await pool.get(spec);
    const ac = new AbortController();
    const call = client.callTool('slow', { ms: 30_000 }, { signal: ac.signal });
    await new Promise((r) => setTimeout(r, 200));
    ac.abort();
    expect(await rejection(call)).toMatchObject({ code: 'cancelled' });
    await waitFor(() => upstream.cancelled.includes('slow'), 'the upstream handler to be aborted');
  });

  it('receives list_changed and resource updates on a subscriptions/listen stream', async () => {
    const client = await pool.get(spec);
    const kinds: string[] = [];
    const uris: string[] = [];
    const off1 = client.on('list_changed', (k) => kinds.push(k));
    const off2 = client.on('resource_updated', (u) => uris.push(u));
    await client.subscribeResource('test://readme');
    await waitFor(() => (upstream.methods.get('subscriptions/listen') ?? 0) > 0, 'a listen stream');
    await new Promise((r) => setTimeout(r, 200));
    upstream.notify.toolsChanged();
    upstream.notify.resourceUpdated('test://readme');
    await waitFor(
      () => kinds.includes('tools') && uris.includes('test://readme'),
      'the change notifications',
    );
    off1();
    off2();
    await client.unsubscribeResource('test://readme');
  });

  it('treats sessionKey as the shared connection: 2026-07-28 has no sessions', async () => {
    const client = await pool.get(spec);
    await client.callTool('echo', { text: 'a' }, { sessionKey: 's1' });
    await client.callTool('echo', { text: 'b' }, { sessionKey: 's2' });
    expect(pool.stats().isolatedSessions).toBe(0);
  });

  it('refuses a pinned 2026-07-28 spec on a 2025-era-only upstream with a protocol error', async () => {
    const legacyOnly = await startEchoServer({ era: 'legacy' });
    try {
      const err = await rejection(
        pool.get({
          id: 'pinned',
          name: 'pinned',
          transport: 'streamable-http',
          url: legacyOnly.url,
          protocolVersion: '2026-07-28',
        }),
      );
      expect(err).toMatchObject({ code: 'protocol' });
      expect(err.message).toContain('does not offer protocol 2026-07-28');
    } finally {
      await pool.remove('pinned');
      await legacyOnly.close();
    }
  });

  it('initialises directly (no probe) when the spec pins a 2025-era revision', async () => {
    const echo = await startEchoServer();
    try {
      const client = await pool.get({
        id: 'pin-legacy',
        name: 'p',
        transport: 'streamable-http',
        url: echo.url,
        protocolVersion: '2025-06-18',
      });
      expect(client.era).toBe('legacy');
      await client.callTool('echo', { text: 'x' });
      expect(echo.counts.get('server/discover')).toBeUndefined();
      expect(echo.counts.get('initialize')).toBe(1);
    } finally {
      await pool.remove('pin-legacy');
      await echo.close();
    }
  });

  it('parses SSE-framed single responses', async () => {
    const echo = await startEchoServer({ responseMode: 'sse' });
    try {
      const client = await pool.get({
        id: 'sse-framed',
        name: 's',
        transport: 'streamable-http',
        url: echo.url,
      });
      expect(client.era).toBe('modern');
      expect(await client.callTool('echo', { text: 'é'.repeat(5000) })).toMatchObject({
        content: [{ text: 'é'.repeat(5000) }],
      });
    } finally {
      await pool.remove('sse-framed');
      await echo.close();
    }
  });
});
