import { describe, expect, it } from 'vitest';
import { MemoryEventStore, MemoryMessageBus, MemorySessionStore } from '../../src/mcp/index.js';
import { PendingRequests } from '../../src/mcp/pending-requests.js';
import { ServerInfoCache } from '../../src/mcp/server-info-cache.js';
import { createEchoBackend } from './support/echo-backend.js';
import { startEngine } from './support/start-engine.js';

const record = (id: string) => ({
  id,
  transport: 'streamable-http' as const,
  protocolVersion: '2025-11-25',
  scope: { kind: 'all' as const },
  principalId: 'anonymous',
  clientCapabilities: {},
  createdAt: Date.now(),
});

describe('every buffer and map is bounded', () => {
  it('session store: caps live sessions (LRU) and reaps idle ones', async () => {
    const expired: string[] = [];
    const store = new MemorySessionStore({ maxSessions: 100, onExpire: (id) => expired.push(id) });
    for (let i = 0; i < 1000; i++) await store.create(record(`s${i}`), 60_000);
    expect(store.size).toBe(100);
    expect(await store.get('s0')).toBeUndefined();
    expect(await store.get('s999')).toBeDefined();
    await store.create(record('short'), 1);
    await new Promise((r) => setTimeout(r, 5));
    store.sweep();
    expect(await store.get('short')).toBeUndefined();
    expect(expired).toContain('short');
    await store.close();
  });

  it('event store: caps events per stream and streams overall', async () => {
    const store = new MemoryEventStore({ maxEventsPerStream: 10, maxStreams: 50 });
    for (let i = 0; i < 100; i++) await store.append('s', 'x', `{"n":${i}}`);
    const all = await store.after('s', 'x_0');
    expect(all?.events).toHaveLength(10);
    expect(all?.events[0]?.data).toBe('{"n":90}');
    for (let i = 0; i < 500; i++) await store.append(`s${i}`, 'y', '{}');
    expect(store.size).toBe(50);
    await store.deleteSession('s499');
    expect(store.size).toBe(49);
  });

  it('pending server requests: refuse beyond the cap and time out', async () => {
    const pending = new PendingRequests('r1', 3);
    const made = [pending.create(60_000), pending.create(60_000), pending.create(20)];
    expect(() => pending.create(60_000)).toThrow(/too many/);
    await expect(made[2]?.result).rejects.toThrow(/did not answer/);
    expect(pending.size).toBe(2);
    pending.rejectAll(new Error('done'));
    await Promise.allSettled(made.map((m) => m.result));
    expect(pending.size).toBe(0);
  });

  it('server info cache: bounded by scope count', async () => {
    const cache = new ServerInfoCache(createEchoBackend().backend, 60_000, 10);
    for (let i = 0; i < 100; i++) await cache.get({ kind: 'server', serverId: `s${i}` });
    expect(cache.size).toBe(10);
  });

  it('memory bus: unsubscribed channels are removed', async () => {
    const bus = new MemoryMessageBus();
    const offs = await Promise.all(
      Array.from({ length: 100 }, (_, i) => bus.subscribe(`c${i}`, () => undefined)),
    );
    expect(bus.channelCount).toBe(100);
    await Promise.all(offs.map((off) => off()));
    expect(bus.channelCount).toBe(0);
  });

  it('engine: 500 legacy sessions leave no per-request state behind and the record cache stays capped', async () => {
    const run = await startEngine({ backend: createEchoBackend().backend, maxCachedSessions: 50 });
    try {
      const h = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
      for (let i = 0; i < 500; i++) {
        const init = await fetch(`${run.url}/mcp`, {
          method: 'POST',
          headers: h,
          body: JSON.stringify({
            jsonrpc: '2.0',
            id: 1,
            method: 'initialize',
            params: {
              protocolVersion: '2025-06-18',
              capabilities: {},
              clientInfo: { name: 'b', version: '1' },
            },
          }),
        });
        const sid = init.headers.get('mcp-session-id') as string;
        await fetch(`${run.url}/mcp`, {
          method: 'POST',
          headers: { ...h, 'mcp-session-id': sid },
          body: '{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"echo","arguments":{}}}',
        });
      }
      expect(run.engine.stats()).toMatchObject({
        sessionsCached: 50,
        pendingServerRequests: 0,
        inFlight: 0,
        channels: 0,
        listeners: 0,
        resumed: 0,
      });
    } finally {
      await run.close();
    }
  });
});

describe('idle sessions are reaped', () => {
  it('closes the GET stream of a session that vanished from the shared store (as on a Redis TTL expiry)', async () => {
    const store = new MemorySessionStore();
    const run = await startEngine({
      backend: createEchoBackend().backend,
      sessionStore: store,
      keepAliveMs: 100,
      sessionCacheMs: 50,
    });
    try {
      const h = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
      const init = await fetch(`${run.url}/mcp`, {
        method: 'POST',
        headers: h,
        body: JSON.stringify({
          jsonrpc: '2.0',
          id: 1,
          method: 'initialize',
          params: {
            protocolVersion: '2025-11-25',
            capabilities: {},
            clientInfo: { name: 'b', version: '1' },
          },
        }),
      });
      const sid = init.headers.get('mcp-session-id') as string;
      const stream = await fetch(`${run.url}/mcp`, {
        headers: { accept: 'text/event-stream', 'mcp-session-id': sid },
      });
      expect(stream.status).toBe(200);
      await expect.poll(() => run.engine.stats().channels).toBe(1);
      // Removed behind the engine's back: no DELETE, no broadcast; the keep-alive tick notices.
      await store.delete(sid);
      await stream.text(); // ends when the engine closes the stream
      expect(run.engine.stats().channels).toBe(0);
      const after = await fetch(`${run.url}/mcp`, {
        method: 'POST',
        headers: { ...h, 'mcp-session-id': sid },
        body: '{"jsonrpc":"2.0","id":2,"method":"ping"}',
      });
      expect(after.status).toBe(404);
    } finally {
      await run.close();
      await store.close();
    }
  });

  it('reaps a session idle longer than its TTL', async () => {
    const store = new MemorySessionStore({ sweepIntervalMs: 20 });
    const run = await startEngine({
      backend: createEchoBackend().backend,
      sessionStore: store,
      sessionIdleTtlMs: 100,
      sessionCacheMs: 10,
    });
    try {
      const init = await fetch(`${run.url}/mcp`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({
          jsonrpc: '2.0',
          id: 1,
          method: 'initialize',
          params: {
            protocolVersion: '2025-11-25',
            capabilities: {},
            clientInfo: { name: 'b', version: '1' },
          },
        }),
      });
      expect(store.size).toBe(1);
      await expect.poll(() => store.size, { timeout: 2000 }).toBe(0);
      const sid = init.headers.get('mcp-session-id') as string;
      const after = await fetch(`${run.url}/mcp`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', 'mcp-session-id': sid },
        body: '{"jsonrpc":"2.0","id":2,"method":"ping"}',
      });
      expect(after.status).toBe(404);
    } finally {
      await run.close();
      await store.close();
    }
  });
});
