import { startEchoServer } from '@contextforge-internal/echo-http';
import { describe, expect, it } from 'vitest';
import { createUpstreamPool, type UpstreamSpec } from '../../src/index.js';
import { startLegacyHttpServer } from './helpers/legacy-servers.js';
import { rejection, waitFor } from './helpers/processes.js';

const http = (id: string, url: string, extra: Partial<UpstreamSpec> = {}): UpstreamSpec => ({
  id,
  name: id,
  transport: 'streamable-http',
  url,
  ...extra,
});

describe('upstream pool', () => {
  it('validates specs with config errors naming the field', async () => {
    const pool = createUpstreamPool({ health: { intervalMs: 0 } });
    try {
      const cases: [Partial<UpstreamSpec>, RegExp][] = [
        [
          { id: '', name: 'x', transport: 'streamable-http', url: 'http://a' },
          /id must be a non-empty string/,
        ],
        [{ id: 'a', name: 'x', transport: 'carrier-pigeon' as never }, /transport must be one of/],
        [{ id: 'a', name: 'x', transport: 'streamable-http' }, /url is required/],
        [
          { id: 'a', name: 'x', transport: 'streamable-http', url: 'ws://h/mcp' },
          /url must use http: or https:/,
        ],
        [{ id: 'a', name: 'x', transport: 'websocket', url: 'http://h/ws' }, /url must use ws: or wss:/],
        [{ id: 'a', name: 'x', transport: 'stdio' }, /command is required for stdio/],
        [
          { id: 'a', name: 'x', transport: 'sse', url: 'http://h', timeoutMs: -1 },
          /timeoutMs must be a positive/,
        ],
        [
          { id: 'a', name: 'x', transport: 'sse', url: 'http://h', retries: 99 },
          /retries must be an integer from 0 to 10/,
        ],
        [
          { id: 'a', name: 'x', transport: 'sse', url: 'http://h', protocolVersion: '1999-01-01' },
          /protocolVersion must be auto/,
        ],
      ];
      for (const [spec, message] of cases) {
        const err = await rejection(pool.get(spec as UpstreamSpec));
        expect(err).toMatchObject({ name: 'UpstreamError', code: 'config' });
        expect(err.message).toMatch(message);
      }
    } finally {
      await pool.close();
    }
  });

  it('rejects bad pool options with a config error naming the option', () => {
    expect(() => createUpstreamPool({ timeoutMs: 0 })).toThrow(/timeoutMs must be an integer ≥ 1/);
    expect(() => createUpstreamPool({ health: { unhealthyThreshold: 1.5 } })).toThrow(
      /health.unhealthyThreshold/,
    );
    expect(() => createUpstreamPool({ stdio: { inheritEnv: 'most' as never } })).toThrow(/stdio.inheritEnv/);
  });

  it('reuses one client and one keep-alive pool per origin; a connection-relevant change replaces the client', async () => {
    const echo = await startEchoServer();
    const pool = createUpstreamPool({ health: { intervalMs: 0 } });
    try {
      const a = await pool.getClient(http('a', echo.url));
      expect(await pool.get(http('a', echo.url))).toBe(a);
      expect(await pool.get(http('a', echo.url, { name: 'renamed', timeoutMs: 1234 }))).toBe(a);
      expect(a.spec.name).toBe('renamed');
      await pool.get(http('b', echo.url));
      expect(pool.stats()).toMatchObject({ upstreams: 2, connected: 2, httpOrigins: 1 });
      const replaced = await pool.get(http('a', echo.url, { headers: { authorization: 'Bearer new' } }));
      expect(replaced).not.toBe(a);
      await waitFor(() => !a.connected, 'the old client to close');
      expect(await replaced.callTool('echo', { text: 'new' })).toMatchObject({ content: [{ text: 'new' }] });
      await pool.remove('a');
      await pool.remove('b');
      expect(pool.stats()).toMatchObject({ upstreams: 0, httpOrigins: 0 });
      expect(pool.health('a')).toEqual({ state: 'unknown', consecutiveFailures: 0 });
    } finally {
      await pool.close();
      await echo.close();
    }
  });

  it('bounds the number of upstreams', async () => {
    const echo = await startEchoServer();
    const pool = createUpstreamPool({ health: { intervalMs: 0 }, maxUpstreams: 1 });
    try {
      await pool.get(http('one', echo.url));
      expect(await rejection(pool.get(http('two', echo.url)))).toMatchObject({ code: 'capacity' });
    } finally {
      await pool.close();
      await echo.close();
    }
  });

  it('fails calls after close with closed', async () => {
    const echo = await startEchoServer();
    const pool = createUpstreamPool({ health: { intervalMs: 0 } });
    const client = await pool.get(http('c', echo.url));
    await pool.close();
    expect(await rejection(client.callTool('echo', { text: 'x' }))).toMatchObject({ code: 'closed' });
    expect(await rejection(pool.get(http('c', echo.url)))).toMatchObject({ code: 'closed' });
    await echo.close();
  });

  it('reaps idle isolated sessions (ending them upstream with DELETE) and bounds them', async () => {
    const upstream = await startLegacyHttpServer();
    const pool = createUpstreamPool({
      health: { intervalMs: 0 },
      sessions: { idleMs: 400, maxPerUpstream: 2 },
    });
    try {
      const client = await pool.getClient(http('iso', upstream.url));
      const a = await client.callTool('whoami', {}, { sessionKey: 'A' });
      await client.callTool('whoami', {}, { sessionKey: 'B' });
      expect(client.sessionCount).toBeGreaterThan(0);
      // A third session evicts the least recently used idle one (A) instead of growing.
      await client.callTool('whoami', {}, { sessionKey: 'C' });
      expect(client.sessionCount).toBeLessThanOrEqual(2);
      const sessionA = (a.content as { text: string }[])[0]?.text as string;
      await waitFor(
        () => upstream.observed.closed.includes(sessionA),
        'session A to be ended upstream',
        3000,
      );
      await waitFor(() => client.sessionCount === 0, 'idle sessions to be reaped', 3000);
      await waitFor(() => upstream.observed.closed.length >= 3, 'DELETE of the reaped sessions', 3000);
      await client.callTool('whoami', {}, { sessionKey: 'D' });
      await client.endSession('D');
      expect(client.sessionCount).toBe(0);
    } finally {
      await pool.close();
      await upstream.close();
    }
  });

  it('fails the isolated call with capacity when every session is busy', async () => {
    const upstream = await startLegacyHttpServer();
    const pool = createUpstreamPool({ health: { intervalMs: 0 }, sessions: { maxPerUpstream: 1 } });
    try {
      const client = await pool.get(http('busy', upstream.url));
      const slow = client.callTool('slow', { ms: 300 }, { sessionKey: 'A' });
      await new Promise((r) => setTimeout(r, 50));
      expect(await rejection(client.callTool('echo', { text: 'x' }, { sessionKey: 'B' }))).toMatchObject({
        code: 'capacity',
      });
      await slow;
    } finally {
      await pool.close();
      await upstream.close();
    }
  });

  it('bounds requests in flight per connection', async () => {
    const upstream = await startLegacyHttpServer();
    const pool = createUpstreamPool({ health: { intervalMs: 0 }, maxInFlight: 2 });
    try {
      const client = await pool.get(http('inflight', upstream.url));
      const a = client.callTool('slow', { ms: 200 });
      const b = client.callTool('slow', { ms: 200 });
      expect(await rejection(client.callTool('echo', { text: 'x' }))).toMatchObject({ code: 'capacity' });
      await Promise.all([a, b]);
      expect(await client.callTool('echo', { text: 'x' })).toBeTruthy();
    } finally {
      await pool.close();
      await upstream.close();
    }
  });

  it('runs an on-demand health check', async () => {
    const echo = await startEchoServer();
    const pool = createUpstreamPool({ health: { intervalMs: 0 } });
    try {
      await pool.get(http('chk', echo.url));
      expect(await pool.checkHealth('chk')).toMatchObject({ state: 'healthy', consecutiveFailures: 0 });
      await echo.close();
      await new Promise((r) => setTimeout(r, 50));
      expect(await pool.checkHealth('chk')).toMatchObject({
        consecutiveFailures: 1,
        lastError: expect.stringContaining('chk'),
      });
    } finally {
      await pool.close();
    }
  });
});
