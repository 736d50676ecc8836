import { describeWithServices, serviceUrls, uniqueName } from '@contextforge-internal/test-support';
import { Client, SSEClientTransport, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { RedisEventStore, RedisMessageBus, RedisSessionStore } from '../../src/mcp/index.js';
import { createEchoBackend } from './support/echo-backend.js';
import { type RunningEngine, sseMessages, startEngine } from './support/start-engine.js';

interface Replica {
  run: RunningEngine;
  redis: Redis[];
  backend: ReturnType<typeof createEchoBackend>;
}

/** Rewrites every other request to the other replica: no sticky load balancer. */
function alternatingFetch(a: string, b: string, log: string[]) {
  let n = 0;
  return (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
    const target = n++ % 2 === 0 ? a : b;
    const t = new URL(target);
    url.host = t.host;
    log.push(`${init?.method ?? 'GET'} ${t.port}`);
    return fetch(url, init);
  };
}

await describeWithServices(
  ['redis'],
  'two engine replicas sharing Redis (sessions, replay, server→client routing)',
  () => {
    const prefix = uniqueName('mcp2r');
    const replicas: Replica[] = [];

    async function replica(): Promise<Replica> {
      const store = new Redis(serviceUrls.redis, { lazyConnect: false });
      const sub = new Redis(serviceUrls.redis, { lazyConnect: false });
      const backend = createEchoBackend();
      const run = await startEngine({
        backend: backend.backend,
        sessionStore: new RedisSessionStore(store, { prefix }),
        eventStore: new RedisEventStore(store, { prefix }),
        bus: new RedisMessageBus(store, sub),
        busPrefix: prefix,
        // Trust cached records only briefly so a deletion elsewhere is seen quickly even without the broadcast.
        sessionCacheMs: 200,
      });
      const r = { run, redis: [store, sub], backend };
      replicas.push(r);
      return r;
    }

    let a: Replica;
    let b: Replica;
    beforeAll(async () => {
      a = await replica();
      b = await replica();
    });
    afterAll(async () => {
      for (const r of replicas) await r.run.close();
      const [redis] = replicas[0]?.redis ?? [];
      if (redis !== undefined) {
        const keys = await redis.keys(`${prefix}:*`);
        if (keys.length > 0) await redis.del(...keys);
      }
      for (const r of replicas) for (const c of r.redis) c.disconnect();
    });

    it('serves one SDK client session alternating between replicas, including sampling and cancellation', async () => {
      const hops: string[] = [];
      const urlA = `${a.run.url}/servers/s1/mcp`;
      const client = new Client({ name: 'alt', version: '1' }, { capabilities: { sampling: {} } });
      client.setRequestHandler('sampling/createMessage', async () => ({
        role: 'assistant',
        content: { type: 'text', text: 'routed' },
        model: 'm',
      }));
      const transport = new StreamableHTTPClientTransport(new URL(urlA), {
        fetch: alternatingFetch(a.run.url, b.run.url, hops),
      });
      await client.connect(transport);
      for (let i = 0; i < 4; i++) {
        const r = await client.callTool({ name: 'echo', arguments: { i } });
        expect(r.content).toEqual([{ type: 'text', text: JSON.stringify({ i }) }]);
      }
      // The sampling request goes out on one replica's stream; the client POSTs its answer to the other.
      for (let i = 0; i < 2; i++) {
        const r = await client.callTool({ name: 'sample', arguments: { prompt: 'x' } });
        expect(r.content).toEqual([{ type: 'text', text: 'LLM said: routed' }]);
      }
      const ports = new Set(hops.map((h) => h.split(' ')[1]));
      expect(ports.size).toBe(2);
      // Cancellation posted to whichever replica does not run the request still reaches it.
      const ac = new AbortController();
      const slow = client.callTool({ name: 'slow', arguments: { ms: 20_000 } }, { signal: ac.signal });
      await expect.poll(() => a.run.engine.stats().inFlight + b.run.engine.stats().inFlight).toBe(1);
      ac.abort('stop');
      await expect(slow).rejects.toThrow();
      await expect.poll(() => a.backend.log.cancelled.length + b.backend.log.cancelled.length).toBe(1);
      expect(a.run.engine.stats().pendingServerRequests + b.run.engine.stats().pendingServerRequests).toBe(0);
      await client.close();
    });

    it('resumes a broken request stream on the other replica with Last-Event-ID (replay, then live events)', async () => {
      const h = {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-protocol-version': '2025-11-25',
      };
      const init = await fetch(`${a.run.url}/mcp`, {
        method: 'POST',
        headers: h,
        body: JSON.stringify({
          jsonrpc: '2.0',
          id: 1,
          method: 'initialize',
          params: {
            protocolVersion: '2025-11-25',
            capabilities: {},
            clientInfo: { name: 'r', version: '1' },
          },
        }),
      });
      const sid = init.headers.get('mcp-session-id') as string;
      const ac = new AbortController();
      const res = await fetch(`${a.run.url}/mcp`, {
        method: 'POST',
        headers: { ...h, 'mcp-session-id': sid },
        body: JSON.stringify({
          jsonrpc: '2.0',
          id: 'p',
          method: 'tools/call',
          params: { name: 'progress', arguments: { ms: 300 }, _meta: { progressToken: 'tok' } },
        }),
        signal: ac.signal,
      });
      // Read until the first progress event, then drop the connection.
      const reader = (res.body as ReadableStream<Uint8Array>).getReader();
      let text = '';
      while (!text.includes('notifications/progress'))
        text += new TextDecoder().decode((await reader.read()).value);
      ac.abort();
      const lastId = text
        .split('\n')
        .filter((l) => l.startsWith('id: '))
        .at(-1)
        ?.slice(4) as string;
      expect(lastId).toMatch(/_\d+-\d+$/);
      const resumed = await fetch(`${b.run.url}/mcp`, {
        method: 'GET',
        headers: { ...h, accept: 'text/event-stream', 'mcp-session-id': sid, 'last-event-id': lastId },
      });
      const rest = sseMessages(await resumed.text());
      expect(rest.map((m) => m.params?.progress ?? m.result?.content?.[0]?.text)).toEqual([2, 3, 'done']);
      // Terminating on B is seen by A.
      expect(
        (await fetch(`${b.run.url}/mcp`, { method: 'DELETE', headers: { 'mcp-session-id': sid } })).status,
      ).toBe(200);
      await expect
        .poll(
          async () =>
            (
              await fetch(`${a.run.url}/mcp`, {
                method: 'POST',
                headers: { ...h, 'mcp-session-id': sid },
                body: '{"jsonrpc":"2.0","id":3,"method":"ping"}',
              })
            ).status,
        )
        .toBe(404);
    });

    it('answers HTTP+SSE POSTs received by the replica that does not hold the stream', async () => {
      const hops: string[] = [];
      const client = new Client({ name: 'sse-alt', version: '1' }, { capabilities: { sampling: {} } });
      client.setRequestHandler('sampling/createMessage', async () => ({
        role: 'assistant',
        content: { type: 'text', text: 'via bus' },
        model: 'm',
      }));
      // The EventSource GET goes to A; every POST goes to B.
      const transport = new SSEClientTransport(new URL(`${a.run.url}/sse`), {
        fetch: alternatingFetch(b.run.url, b.run.url, hops),
      });
      await client.connect(transport);
      expect((await client.callTool({ name: 'echo', arguments: { v: 1 } })).content).toEqual([
        { type: 'text', text: '{"v":1}' },
      ]);
      expect((await client.callTool({ name: 'sample', arguments: {} })).content).toEqual([
        { type: 'text', text: 'LLM said: via bus' },
      ]);
      expect(b.backend.log.contexts.length).toBeGreaterThan(0);
      await client.close();
    });
  },
);
