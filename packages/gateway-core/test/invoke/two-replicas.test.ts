// Two gateway PROCESSES sharing one PostgreSQL database and one Redis (issue 5, "Done when"): a client's
// requests alternate between them — no sticky load balancer — and nothing fails. Sessions, replay and
// server→client answers travel through Redis; registry changes reach every replica's streams through the
// cache invalidation channel (src/invoke/change-feed.ts).
import { type EchoServer, startEchoServer } from '@contextforge-internal/echo-http';
import { describeWithServices, serviceUrls, uniqueName } from '@contextforge-internal/test-support';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type ScratchDatabase, scratchDatabase } from '../db-helpers.js';
import { TEST_ENV } from '../gateway-helpers.js';
import { modernHeaders, modernMeta, sseMessages } from '../mcp/support/start-engine.js';
import { startLegacyHttpServer, type TestUpstream } from '../upstream/helpers/legacy-servers.js';
import { EventStream } from './helpers/event-stream.js';
import { type ReplicaProcess, startReplica } from './helpers/replica-processes.js';

// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON-RPC messages.
type Json = any;

const LEGACY = '2025-11-25';

await describeWithServices(['postgres', 'redis'], 'two gateway processes on PostgreSQL + Redis', () => {
  const prefix = `${uniqueName('cf2p')}:`;
  let scratch: ScratchDatabase;
  let upstream: TestUpstream;
  let echo: EchoServer;
  let a: ReplicaProcess;
  let b: ReplicaProcess;
  /** Every failed request or JSON-RPC error seen by the client, in order. */
  const errors: string[] = [];
  let requests = 0;

  beforeAll(async () => {
    scratch = await scratchDatabase('postgres');
    upstream = await startLegacyHttpServer();
    echo = await startEchoServer();
    const env = {
      ...TEST_ENV,
      DATABASE_URL: scratch.url,
      CACHE_TYPE: 'redis',
      REDIS_URL: serviceUrls.redis,
      CACHE_PREFIX: prefix,
      JWT_SECRET_KEY: 'two-replicas-jwt-secret-two-replicas-jwt',
      AUTH_ENCRYPTION_SECRET: 'two-replicas-secret-two-replicas-secret',
      SSRF_ALLOW_LOCALHOST: 'true',
      HEALTH_CHECK_INTERVAL: '3600',
      LOG_LEVEL: 'warn',
    };
    // One after the other: the first applies the migrations and creates the administrator.
    a = await startReplica(env, 'A');
    b = await startReplica(env, 'B');
    for (const [name, url] of [
      ['Legacy Upstream', upstream.url],
      ['Echo Upstream', echo.url],
    ] as const) {
      const reg = await rest(a, 'POST', '/v1/gateways', { name, url, transport: 'STREAMABLEHTTP' });
      expect(reg.status, JSON.stringify(reg.body)).toBe(201);
      expect(reg.body.reachable, JSON.stringify(reg.body)).toBe(true);
    }
  }, 120_000);

  afterAll(async () => {
    await Promise.allSettled([a?.stop(), b?.stop()]);
    await Promise.allSettled([upstream?.close(), echo?.close()]);
    const redis = new Redis(serviceUrls.redis);
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
    await scratch?.drop();
  });

  async function rest(r: ReplicaProcess, method: string, path: string, body?: unknown) {
    const res = await fetch(`${r.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${a.token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }

  const name = (r: ReplicaProcess) => (r === a ? 'A' : 'B');

  /** Counts a failure: an HTTP error status or a JSON-RPC error in any message. */
  function check(r: ReplicaProcess, what: string, status: number, messages: Json[], text: string): void {
    requests += 1;
    if (status >= 400 || messages.some((m) => m?.error !== undefined))
      errors.push(`${name(r)} ${what}: HTTP ${status} ${text.slice(0, 300)}`);
  }

  function legacyHeaders(sid?: string, accept = 'application/json, text/event-stream') {
    return {
      'content-type': 'application/json',
      accept,
      authorization: `Bearer ${a.token}`,
      'mcp-protocol-version': LEGACY,
      ...(sid === undefined ? {} : { 'mcp-session-id': sid }),
    };
  }

  /** One 2025-11-25 POST (request, notification or response) to `r`; returns the messages it answered. */
  async function legacy(r: ReplicaProcess, sid: string | undefined, message: Json) {
    const res = await fetch(`${r.url}/mcp`, {
      method: 'POST',
      headers: legacyHeaders(sid),
      body: JSON.stringify({ jsonrpc: '2.0', ...message }),
    });
    const text = await res.text();
    const messages: Json[] = (res.headers.get('content-type') ?? '').includes('text/event-stream')
      ? sseMessages(text)
      : text
        ? [JSON.parse(text)]
        : [];
    check(r, String(message.method ?? 'response'), res.status, messages, text);
    return { status: res.status, sid: res.headers.get('mcp-session-id'), messages, text };
  }

  /** One 2026-07-28 stateless request to `r`. */
  async function modern(r: ReplicaProcess, method: string, params: Json = {}, id: number | string = 1) {
    const target = method === 'tools/call' ? params.name : undefined;
    const res = await fetch(`${r.url}/mcp`, {
      method: 'POST',
      headers: modernHeaders(method, target, { authorization: `Bearer ${a.token}` }),
      body: JSON.stringify({ jsonrpc: '2.0', id, method, params: { ...params, _meta: modernMeta() } }),
    });
    const text = await res.text();
    const messages: Json[] = (res.headers.get('content-type') ?? '').includes('text/event-stream')
      ? sseMessages(text)
      : [JSON.parse(text)];
    check(r, method, res.status, messages, text);
    return messages.at(-1);
  }

  const textOf = (m: Json): string => m?.result?.content?.[0]?.text;

  it('serves one 2025-11-25 session alternating between the replicas, with server→client traffic across them', async () => {
    const init = await legacy(a, undefined, {
      id: 1,
      method: 'initialize',
      params: {
        protocolVersion: LEGACY,
        capabilities: { sampling: {} },
        clientInfo: { name: 'alt', version: '1' },
      },
    });
    const sid = init.sid as string;
    expect(sid).toBeTruthy();
    await legacy(b, sid, { method: 'notifications/initialized' });
    // The session's GET stream is held by A for the whole test.
    const stream = await EventStream.open(`${a.url}/mcp`, {
      headers: legacyHeaders(sid, 'text/event-stream'),
    });

    const list = await legacy(b, sid, { id: 2, method: 'tools/list' });
    const names = list.messages[0].result.tools.map((t: Json) => t.name);
    expect(names).toEqual(expect.arrayContaining(['legacy-upstream-echo', 'echo-upstream-echo']));

    // Calls alternate A, B, A, … on both upstreams.
    for (let i = 0; i < 8; i++) {
      const r = i % 2 === 0 ? a : b;
      const tool = i % 4 < 2 ? 'legacy-upstream-echo' : 'echo-upstream-echo';
      const call = await legacy(r, sid, {
        id: 10 + i,
        method: 'tools/call',
        params: { name: tool, arguments: { text: `hop ${i}` } },
      });
      expect(textOf(call.messages.at(-1))).toBe(`hop ${i}`);
    }

    // Subscribed through B; the upstream's update is caused by a call on B; A's GET stream receives it.
    await legacy(b, sid, { id: 30, method: 'resources/subscribe', params: { uri: 'test://readme' } });
    await legacy(b, sid, {
      id: 31,
      method: 'tools/call',
      params: { name: 'legacy-upstream-touch', arguments: { uri: 'test://readme' } },
    });
    const updated = await stream.next(
      (m) => m.method === 'notifications/resources/updated',
      'notifications/resources/updated',
    );
    expect(updated.params).toEqual({ uri: 'test://readme' });

    // Sampling: the upstream asks while B serves the call; the client answers through A.
    for (let i = 0; i < 2; i++) {
      const call = await EventStream.open(`${b.url}/mcp`, {
        method: 'POST',
        headers: legacyHeaders(sid),
        body: JSON.stringify({
          jsonrpc: '2.0',
          id: 40 + i,
          method: 'tools/call',
          params: { name: 'legacy-upstream-sample', arguments: { prompt: `question ${i}` } },
        }),
      });
      const ask = await call.next((m) => m.method === 'sampling/createMessage', 'sampling/createMessage');
      expect(ask.params.messages[0].content.text).toBe(`question ${i}`);
      const answered = await legacy(a, sid, {
        id: ask.id,
        result: { role: 'assistant', content: { type: 'text', text: `answer ${i}` }, model: 'm' },
      });
      expect(answered.status).toBe(202);
      const done = await call.next((m) => m.id === 40 + i, 'the tools/call result');
      check(b, 'tools/call (sample)', 200, call.messages, JSON.stringify(done));
      expect(textOf(done)).toBe(`sampled: {"type":"text","text":"answer ${i}"}`);
    }

    // Ended on B: A no longer knows the session either.
    const del = await fetch(`${b.url}/mcp`, { method: 'DELETE', headers: legacyHeaders(sid) });
    expect(del.status).toBe(200);
    await expect
      .poll(
        async () =>
          (
            await fetch(`${a.url}/mcp`, {
              method: 'POST',
              headers: legacyHeaders(sid),
              body: '{"jsonrpc":"2.0","id":99,"method":"ping"}',
            })
          ).status,
        { timeout: 10_000 },
      )
      .toBe(404);
    stream.close();
    expect(errors).toEqual([]);
  });

  it('serves 2026-07-28 stateless requests alternating between the replicas', async () => {
    const discovered = await modern(b, 'server/discover');
    expect(discovered.result.supportedVersions).toContain('2026-07-28');
    for (let i = 0; i < 8; i++) {
      const r = i % 2 === 0 ? a : b;
      if (i % 4 === 0) {
        const list = await modern(r, 'tools/list', {}, i);
        expect(list.result.tools.map((t: Json) => t.name)).toContain('echo-upstream-echo');
      }
      const tool = i % 4 < 2 ? 'echo-upstream-echo' : 'legacy-upstream-echo';
      const call = await modern(r, 'tools/call', { name: tool, arguments: { text: `stateless ${i}` } }, i);
      expect(textOf(call)).toBe(`stateless ${i}`);
    }
    expect(errors).toEqual([]);
  });

  it('announces a registry change made on B to streams held by A (2025 GET stream and 2026 listen)', async () => {
    const init = await legacy(b, undefined, {
      id: 1,
      method: 'initialize',
      params: { protocolVersion: LEGACY, capabilities: {}, clientInfo: { name: 'watch', version: '1' } },
    });
    const sid = init.sid as string;
    await legacy(a, sid, { method: 'notifications/initialized' });
    const get = await EventStream.open(`${a.url}/mcp`, { headers: legacyHeaders(sid, 'text/event-stream') });
    const listen = await EventStream.open(`${a.url}/mcp`, {
      method: 'POST',
      headers: modernHeaders('subscriptions/listen', undefined, { authorization: `Bearer ${a.token}` }),
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 'L',
        method: 'subscriptions/listen',
        params: { _meta: modernMeta(), notifications: { toolsListChanged: true } },
      }),
    });
    await listen.next((m) => m.method === 'notifications/subscriptions/acknowledged', 'the acknowledgment');

    const created = await rest(b, 'POST', '/v1/tools', {
      name: 'added-on-b',
      url: 'http://127.0.0.1:9/never-called',
      integration_type: 'REST',
      request_type: 'POST',
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const isToolsChanged = (m: Json) => m.method === 'notifications/tools/list_changed';
    await get.next(isToolsChanged, 'tools/list_changed on the GET stream');
    const tagged = await listen.next(isToolsChanged, 'tools/list_changed on the listen stream');
    expect(tagged.params._meta).toEqual({ 'io.modelcontextprotocol/subscriptionId': 'L' });
    // …and the new tool is listed by A at once.
    const list = await legacy(a, sid, { id: 2, method: 'tools/list' });
    expect(list.messages[0].result.tools.map((t: Json) => t.name)).toContain('added-on-b');
    for (const m of [...get.messages, ...listen.messages])
      if (m.error !== undefined) errors.push(`stream: ${JSON.stringify(m)}`);
    get.close();
    listen.close();
    expect(errors).toEqual([]);
    // The whole suite: every request answered without an error.
    expect(requests).toBeGreaterThan(30);
    console.info(`two replicas: ${requests} requests, ${errors.length} errors`);
  });
});
