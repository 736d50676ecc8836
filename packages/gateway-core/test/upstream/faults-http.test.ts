import { startEchoServer } from '@contextforge-internal/echo-http';
import { type FaultyHttpServer, startFaultyHttpServer } from '@contextforge-internal/faulty-servers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createUpstreamPool, type McpUpstreamPool, type UpstreamSpec } from '../../src/index.js';
import { rejection, waitFor } from './helpers/processes.js';

describe('misbehaving HTTP upstreams: typed errors within the budget, retries only when safe', () => {
  let server: FaultyHttpServer;
  let pool: McpUpstreamPool;
  let spec: UpstreamSpec;

  beforeEach(async () => {
    server = await startFaultyHttpServer();
    pool = createUpstreamPool({ health: { intervalMs: 0 }, retries: 2, retryDelayMs: 10 });
    // Pinned to the 2025-era stateless shape the faulty server speaks in `ok` mode.
    spec = {
      id: 'faulty',
      name: 'faulty',
      transport: 'streamable-http',
      url: server.url,
      protocolVersion: '2025-11-25',
      timeoutMs: 400,
    };
  });
  afterEach(async () => {
    await pool.close();
    await server.close();
  });

  it('times out a hanging upstream with a timeout error inside the budget', async () => {
    const client = await pool.get(spec);
    server.setMode('hang');
    const t0 = Date.now();
    const err = await rejection(client.callTool('echo', { text: 'x' }));
    expect(err).toMatchObject({ name: 'UpstreamError', code: 'timeout', upstreamId: 'faulty' });
    // Well inside the 400 ms budget plus slack; far from any default timeout.
    expect(Date.now() - t0).toBeLessThan(4000);
    expect(server.counts.get('tools/call')).toBe(1);
  });

  it('reports a body that is not JSON as a protocol error, quoting it', async () => {
    const client = await pool.get(spec);
    server.setMode('garbage');
    const err = await rejection(client.callTool('echo', { text: 'x' }));
    expect(err).toMatchObject({ code: 'protocol' });
    expect(err.message).toContain('not JSON');
    expect(err.message).toContain('oops');
  });

  it('reports a wrong content type as a protocol error', async () => {
    const client = await pool.get(spec);
    server.setMode('html');
    const err = await rejection(client.callTool('echo', { text: 'x' }));
    expect(err).toMatchObject({ code: 'protocol' });
    expect(err.message).toContain("content-type 'text/html'");
  });

  it('reports an answer for another request id as a protocol error', async () => {
    const client = await pool.get(spec);
    server.setMode('wrong-id');
    expect(await rejection(client.callTool('echo', { text: 'x' }))).toMatchObject({ code: 'protocol' });
  });

  it('reports an SSE response that never answers as a timeout', async () => {
    const client = await pool.get(spec);
    server.setMode('sse-hang');
    expect(await rejection(client.callTool('echo', { text: 'x' }))).toMatchObject({ code: 'timeout' });
  });

  it('never re-sends a tools/call after a 500 (it may have run), but retries a safe method', async () => {
    const client = await pool.get(spec);
    server.setMode('error500');
    const err = await rejection(client.callTool('echo', { text: 'x' }));
    expect(err).toMatchObject({ code: 'http', status: 500 });
    expect(err.message).toContain('internal explosion');
    expect(server.counts.get('tools/call')).toBe(1);
    await rejection(client.request('tools/list'));
    expect(server.counts.get('tools/list')).toBe(3);
  });

  it('never re-sends a tools/call after a connection reset, but retries a safe method', async () => {
    const client = await pool.get(spec);
    server.setMode('reset');
    expect(await rejection(client.callTool('echo', { text: 'x' }))).toMatchObject({
      code: 'unreachable',
      notDelivered: false,
    });
    expect(server.counts.get('tools/call')).toBe(1);
    await rejection(client.request('tools/list'));
    expect(server.counts.get('tools/list')).toBe(3);
  });

  it('re-sends a tools/call refused before it was delivered (connection refused) once the upstream is back', async () => {
    const client = await pool.get({ ...spec, timeoutMs: 3000, retries: 5 });
    await server.stop();
    // Let the client see its keep-alive socket closed: a request written into a socket the server
    // is closing at that very moment cannot be proven undelivered (and is rightly not re-sent).
    await new Promise((r) => setTimeout(r, 50));
    setTimeout(() => void server.start(), 100);
    expect(await client.callTool('echo', { text: 'made it' })).toEqual({
      content: [{ type: 'text', text: 'made it' }],
    });
    expect(server.counts.get('tools/call')).toBe(1);
  });

  it('fails with unreachable (not delivered) when nothing listens', async () => {
    const client = await pool.get(spec);
    await server.stop();
    await new Promise((r) => setTimeout(r, 50));
    const err = await rejection(client.callTool('echo', { text: 'x' }));
    expect(err).toMatchObject({ code: 'unreachable', notDelivered: true });
    expect(err.message).toContain('ECONNREFUSED');
  });

  it('bounds the response size', async () => {
    const echo = await startEchoServer();
    const small = createUpstreamPool({ health: { intervalMs: 0 }, maxResponseBytes: 4096 });
    try {
      const client = await small.get({ id: 'big', name: 'big', transport: 'streamable-http', url: echo.url });
      expect(await client.callTool('echo', { text: 'x'.repeat(100) })).toBeTruthy();
      const err = await rejection(client.callTool('echo', { text: 'x'.repeat(10_000) }));
      expect(err).toMatchObject({ code: 'protocol' });
      expect(err.message).toContain('exceeds 4096 bytes');
    } finally {
      await small.close();
      await echo.close();
    }
  });
});

describe('health: checks, transitions, fail-fast and recovery', () => {
  it('marks a dead upstream unhealthy, fails fast meanwhile, and recovers when it returns', async () => {
    const server = await startFaultyHttpServer();
    const pool = createUpstreamPool({
      retries: 0,
      health: { intervalMs: 60, timeoutMs: 200, unhealthyThreshold: 2, healthyThreshold: 2 },
    });
    const events: string[] = [];
    pool.onHealthChange((id, state) => events.push(`${id}:${state}`));
    try {
      const spec: UpstreamSpec = {
        id: 'h',
        name: 'h',
        transport: 'streamable-http',
        url: server.url,
        protocolVersion: '2025-11-25',
      };
      const client = await pool.get(spec);
      await client.callTool('echo', { text: 'x' });
      expect(pool.health('h').state).toBe('healthy');
      server.setMode('hang');
      await waitFor(() => pool.health('h').state === 'unhealthy', 'unhealthy');
      expect(pool.health('h')).toMatchObject({ state: 'unhealthy', consecutiveFailures: expect.any(Number) });
      expect(pool.health('h').lastError).toMatch(/no answer to ping/);
      // Fail fast: no waiting for the hanging upstream.
      const t0 = Date.now();
      const err = await rejection(client.callTool('echo', { text: 'x' }, { timeoutMs: 5000 }));
      expect(err).toMatchObject({ code: 'unreachable', notDelivered: true });
      expect(err.message).toContain('unhealthy');
      // Immediately, not after the call's 5 s budget.
      expect(Date.now() - t0).toBeLessThan(4000);
      server.setMode('ok');
      await waitFor(() => pool.health('h').state === 'healthy', 'recovery');
      expect(await client.callTool('echo', { text: 'back' })).toEqual({
        content: [{ type: 'text', text: 'back' }],
      });
      expect(events).toEqual(['h:healthy', 'h:unhealthy', 'h:healthy']);
    } finally {
      await pool.close();
      await server.close();
    }
  });

  it('counts transport failures of real calls, not upstream error answers', async () => {
    const server = await startFaultyHttpServer();
    const pool = createUpstreamPool({ retries: 0, health: { intervalMs: 0, unhealthyThreshold: 2 } });
    try {
      const client = await pool.get({
        id: 'p',
        name: 'p',
        transport: 'streamable-http',
        url: server.url,
        protocolVersion: '2025-11-25',
      });
      await rejection(client.request('no/such/method'));
      expect(pool.health('p').consecutiveFailures).toBe(0);
      server.setMode('error500');
      await rejection(client.callTool('echo', {}));
      await rejection(client.callTool('echo', {}));
      expect(pool.health('p')).toMatchObject({ state: 'unhealthy', consecutiveFailures: 2 });
      // Without active checks there is no fail-fast: the next call reaches the upstream, and its
      // success is evidence of recovery.
      server.setMode('ok');
      expect(await client.callTool('echo', { text: 'y' })).toBeTruthy();
      expect(pool.health('p')).toMatchObject({ state: 'healthy', consecutiveFailures: 0 });
    } finally {
      await pool.close();
      await server.close();
    }
  });

  it('keeps serving healthy upstreams while another one hangs (fail-open)', async () => {
    const hanging = await startFaultyHttpServer({ mode: 'ok' });
    const echo = await startEchoServer();
    const pool = createUpstreamPool({ health: { intervalMs: 0 }, timeoutMs: 8000 });
    try {
      const bad = await pool.get({
        id: 'bad',
        name: 'bad',
        transport: 'streamable-http',
        url: hanging.url,
        protocolVersion: '2025-11-25',
      });
      const good = await pool.get({ id: 'good', name: 'good', transport: 'streamable-http', url: echo.url });
      hanging.setMode('hang');
      const ac = new AbortController();
      const stuck = Array.from({ length: 20 }, () =>
        bad.callTool('echo', { text: 'x' }, { signal: ac.signal }).catch((e: Error) => e),
      );
      const t0 = Date.now();
      for (let i = 0; i < 20; i++) await good.callTool('echo', { text: `g${i}` });
      // The healthy upstream answered while the hanging one's calls still wait for their 8 s budget.
      expect(Date.now() - t0).toBeLessThan(6000);
      ac.abort();
      const errors = await Promise.all(stuck);
      expect(errors.every((e) => (e as { code?: string }).code === 'cancelled')).toBe(true);
    } finally {
      await pool.close();
      await hanging.close();
      await echo.close();
    }
  });
});
