import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANONYMOUS_PRINCIPAL } from '../../src/security/authn/principal.js';
import { createEchoBackend } from './support/echo-backend.js';
import {
  modernHeaders,
  modernMeta,
  modernPost,
  type RunningEngine,
  readJson,
  sseMessages,
  startEngine,
} from './support/start-engine.js';

describe('2026-07-28 streamable HTTP (stateless)', () => {
  let run: RunningEngine;
  let url: string;
  const { backend, log } = createEchoBackend();

  beforeAll(async () => {
    run = await startEngine({ backend, cacheTtlMs: 5000 });
    url = `${run.url}/servers/s1/mcp`;
  });
  afterAll(() => run.close());

  it('answers server/discover with supported versions, capabilities, serverInfo and cache hints', async () => {
    const r = await modernPost(url, 'server/discover');
    expect(r.status).toBe(200);
    expect(r.body.result).toMatchObject({
      resultType: 'complete',
      supportedVersions: expect.arrayContaining(['2026-07-28', '2025-11-25', '2025-03-26']),
      capabilities: { tools: { listChanged: true }, logging: {} },
      _meta: { 'io.modelcontextprotocol/serverInfo': { name: 'server-s1', version: '1.2.3' } },
      ttlMs: 5000,
      cacheScope: 'public',
    });
  });

  it('serves tools/call with resultType, serverInfo _meta and untouched structuredContent', async () => {
    const r = await modernPost(url, 'tools/call', { name: 'structured', arguments: {} }, { id: 'abc' });
    expect(r.status).toBe(200);
    expect(r.contentType).toContain('application/json');
    expect(r.body).toEqual({
      jsonrpc: '2.0',
      id: 'abc',
      result: {
        resultType: 'complete',
        _meta: { 'io.modelcontextprotocol/serverInfo': { name: 'server-s1', version: '1.2.3' } },
        content: [{ type: 'text', text: '{"n":7}' }],
        structuredContent: { n: 7 },
      },
    });
    const ctx = log.contexts.at(-1);
    expect(ctx?.scope).toEqual({ kind: 'server', serverId: 's1' });
    expect(ctx?.protocolVersion).toBe('2026-07-28');
    expect(ctx?.request).toBeUndefined();
  });

  it('adds ttlMs and cacheScope to list results and resources/read', async () => {
    for (const [method, params] of [
      ['tools/list', {}],
      ['prompts/list', {}],
      ['resources/list', {}],
      ['resources/templates/list', {}],
      ['resources/read', { uri: 'test://static' }],
    ] as const) {
      const r = await modernPost(url, method, params);
      expect(r.body.result, method).toMatchObject({
        resultType: 'complete',
        ttlMs: 5000,
        cacheScope: 'public',
      });
    }
  });

  it('marks cache scope private when the caller is authenticated', async () => {
    const authed = await startEngine({
      backend,
      authenticate: async () => ({ ...ANONYMOUS_PRINCIPAL, subject: 'alice', authMethod: 'jwt' as const }),
    });
    try {
      const r = await modernPost(`${authed.url}/mcp`, 'tools/list');
      expect(r.body.result.cacheScope).toBe('private');
    } finally {
      await authed.close();
    }
  });

  it('rejects missing _meta fields with -32602 and HTTP 400', async () => {
    for (const meta of [
      undefined,
      { 'io.modelcontextprotocol/clientCapabilities': {} },
      { 'io.modelcontextprotocol/protocolVersion': '2026-07-28' },
    ]) {
      const res = await fetch(url, {
        method: 'POST',
        headers: modernHeaders('server/discover'),
        body: JSON.stringify({
          jsonrpc: '2.0',
          id: 7,
          method: 'server/discover',
          params: meta === undefined ? {} : { _meta: meta },
        }),
      });
      expect(res.status).toBe(400);
      const body = await readJson(res);
      expect(body.id).toBe(7);
      expect(body.error.code).toBe(-32602);
    }
  });

  it('serves a request whose _meta omits clientInfo', async () => {
    const r = await modernPost(
      url,
      'server/discover',
      {},
      { meta: { 'io.modelcontextprotocol/clientInfo': undefined } },
    );
    expect(r.status).toBe(200);
  });

  it('answers an unsupported version with -32022 listing supported versions and echoing the request', async () => {
    const r = await modernPost(
      url,
      'server/discover',
      {},
      {
        id: 301,
        headers: { 'mcp-protocol-version': 'v999' },
        meta: { 'io.modelcontextprotocol/protocolVersion': 'v999' },
      },
    );
    expect(r.status).toBe(400);
    expect(r.body.id).toBe(301);
    expect(r.body.error.code).toBe(-32022);
    expect(r.body.error.data.requested).toBe('v999');
    expect(r.body.error.data.supported).toContain('2026-07-28');
  });

  it('answers header/body mismatches with -32020 and HTTP 400', async () => {
    const cases: Array<[string, Record<string, unknown>, Record<string, string>, Record<string, unknown>?]> =
      [
        ['server/discover', {}, {}, { 'io.modelcontextprotocol/protocolVersion': 'v999' }],
        ['tools/list', {}, { 'mcp-method': 'prompts/list' }],
        ['tools/list', {}, { 'mcp-method': 'TOOLS/LIST' }],
        ['tools/call', { name: 'echo', arguments: {} }, { 'mcp-name': 'other' }],
      ];
    for (const [method, params, headers, meta] of cases) {
      const r = await modernPost(url, method, params, { headers, meta });
      expect(r.status, JSON.stringify(headers)).toBe(400);
      expect(r.body.error.code).toBe(-32020);
    }
    const noName = await fetch(url, {
      method: 'POST',
      headers: { ...modernHeaders('tools/call') },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name: 'echo', _meta: modernMeta() },
      }),
    });
    expect(noName.status).toBe(400);
    expect((await readJson(noName)).error.code).toBe(-32020);
  });

  it('accepts case-insensitive header names, padded and Base64-encoded Mcp-Name values', async () => {
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        ...modernHeaders('tools/call'),
        'MCP-NAME': `=?base64?${Buffer.from('echo').toString('base64')}?=`,
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name: 'echo', arguments: {}, _meta: modernMeta() },
      }),
    });
    expect(res.status).toBe(200);
    const padded = await modernPost(
      url,
      'tools/call',
      { name: 'echo', arguments: {} },
      { headers: { 'mcp-name': '  echo  ' } },
    );
    expect(padded.status).toBe(200);
    const bad = await modernPost(
      url,
      'tools/call',
      { name: 'echo', arguments: {} },
      { headers: { 'mcp-name': '=?base64?ZWNo!!!?=' } },
    );
    expect(bad.body.error.code).toBe(-32020);
  });

  it('answers removed and unknown methods with 404 and -32601', async () => {
    for (const method of [
      'initialize',
      'ping',
      'logging/setLevel',
      'resources/subscribe',
      'unknown/method',
    ]) {
      const r = await modernPost(url, method, {}, { id: 500 });
      expect(r.status, method).toBe(404);
      expect(r.body).toMatchObject({ id: 500, error: { code: -32601 } });
    }
  });

  it('answers methods of capabilities the server lacks with -32601', async () => {
    const bare = createEchoBackend({ capabilities: { tools: {} } });
    const other = await startEngine({ backend: bare.backend });
    try {
      const r = await modernPost(`${other.url}/mcp`, 'prompts/list');
      expect(r.status).toBe(404);
      expect(r.body.error.code).toBe(-32601);
    } finally {
      await other.close();
    }
  });

  it('maps backend errors to JSON-RPC errors with the backend code', async () => {
    const r = await modernPost(url, 'resources/read', { uri: 'test://missing' });
    expect(r.body.error).toEqual({
      code: -32602,
      message: 'Resource not found: test://missing',
      data: { uri: 'test://missing' },
    });
    const unknown = await modernPost(url, 'tools/call', { name: 'nope', arguments: {} });
    expect(unknown.body.error.message).toContain('nope');
  });

  it('switches to SSE for progress notifications and ends with the response', async () => {
    const r = await modernPost(
      url,
      'tools/call',
      { name: 'progress', arguments: {} },
      { meta: { progressToken: 'p1' } },
    );
    expect(r.contentType).toContain('text/event-stream');
    const msgs = sseMessages(r.text);
    const progress = msgs.filter((m) => m.method === 'notifications/progress');
    expect(progress.map((m) => m.params.progress)).toEqual([1, 2, 3]);
    expect(progress[0].params.progressToken).toBe('p1');
    expect(msgs.at(-1).result.content[0].text).toBe('done');
  });

  it('emits logging notifications only when the request set a log level, at or above it', async () => {
    const none = await modernPost(url, 'tools/call', { name: 'logs', arguments: {} });
    expect(none.contentType).toContain('application/json');
    const some = await modernPost(
      url,
      'tools/call',
      { name: 'logs', arguments: {} },
      { meta: { 'io.modelcontextprotocol/logLevel': 'info' } },
    );
    const levels = sseMessages(some.text)
      .filter((m) => m.method === 'notifications/message')
      .map((m) => m.params.level);
    expect(levels).toEqual(['info', 'error']);
    const bad = await modernPost(
      url,
      'tools/call',
      { name: 'logs', arguments: {} },
      { meta: { 'io.modelcontextprotocol/logLevel': 'loud' } },
    );
    expect(bad.body.error.code).toBe(-32602);
  });

  it('passes MRTR input_required results through and hands retries their inputResponses', async () => {
    const first = await modernPost(url, 'tools/call', { name: 'mrtr', arguments: {} });
    expect(first.body.result.resultType).toBe('input_required');
    expect(first.body.result.ttlMs).toBeUndefined();
    const retry = await modernPost(url, 'tools/call', {
      name: 'mrtr',
      arguments: {},
      inputResponses: { who: { action: 'accept', content: { name: 'Ada' } } },
      requestState: first.body.result.requestState,
    });
    expect(retry.body.result.content[0].text).toBe(
      'hello {"action":"accept","content":{"name":"Ada"}} state-1',
    );
  });

  it('rejects malformed inputResponses and requestState with -32602', async () => {
    for (const extra of [
      { inputResponses: null },
      { inputResponses: { who: 12345 } },
      { inputResponses: [] },
      { requestState: 5 },
    ]) {
      const r = await modernPost(url, 'tools/call', { name: 'mrtr', arguments: {}, ...extra });
      expect(r.body.error?.code, JSON.stringify(extra)).toBe(-32602);
    }
  });

  it('answers notifications with 202 and GET/DELETE with 405', async () => {
    const n = await fetch(url, {
      method: 'POST',
      headers: modernHeaders('notifications/cancelled'),
      body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 1 } }),
    });
    expect(n.status).toBe(202);
    for (const method of ['GET', 'DELETE']) {
      const r = await fetch(url, {
        method,
        headers: { 'mcp-protocol-version': '2026-07-28', accept: 'text/event-stream' },
      });
      expect(r.status).toBe(405);
      expect(r.headers.get('allow')).toBe('POST');
    }
  });

  it('ignores Mcp-Session-Id and mints none for modern requests', async () => {
    const r = await modernPost(url, 'tools/list', {}, { headers: { 'mcp-session-id': 'whatever' } });
    expect(r.status).toBe(200);
  });

  it('cancels the backend call when the client closes the response stream', async () => {
    const before = log.cancelled.length;
    const ac = new AbortController();
    const p = fetch(url, {
      method: 'POST',
      headers: modernHeaders('tools/call', 'slow'),
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 'slow-1',
        method: 'tools/call',
        params: { name: 'slow', arguments: { ms: 10_000 }, _meta: modernMeta() },
      }),
      signal: ac.signal,
    }).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 100));
    ac.abort();
    await p;
    await expect.poll(() => log.cancelled.slice(before)).toContain('slow-1');
    expect(run.engine.stats().inFlight).toBe(0);
  });

  it('opens subscriptions/listen with an acknowledgment and tags filtered notifications', async () => {
    const ac = new AbortController();
    const res = await fetch(url, {
      method: 'POST',
      headers: modernHeaders('subscriptions/listen'),
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 42,
        method: 'subscriptions/listen',
        params: {
          _meta: modernMeta(),
          notifications: { toolsListChanged: true, resourceSubscriptions: ['test://static'] },
        },
      }),
      signal: ac.signal,
    });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let text = '';
    const next = async (count: number) => {
      while (sseMessages(text).length < count) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
      }
      return sseMessages(text);
    };
    const [ack] = await next(1);
    expect(ack).toMatchObject({
      method: 'notifications/subscriptions/acknowledged',
      params: {
        _meta: { 'io.modelcontextprotocol/subscriptionId': 42 },
        notifications: { toolsListChanged: true, resourceSubscriptions: ['test://static'] },
      },
    });
    // A prompts change is filtered out; a tools change arrives tagged.
    await modernPost(url, 'tools/call', { name: 'change', arguments: { kind: 'prompts' } });
    await modernPost(url, 'tools/call', { name: 'change', arguments: { kind: 'tools' } });
    const msgs = await next(2);
    expect(msgs[1]).toEqual({
      jsonrpc: '2.0',
      method: 'notifications/tools/list_changed',
      params: { _meta: { 'io.modelcontextprotocol/subscriptionId': 42 } },
    });
    expect(run.engine.stats().listeners).toBe(1);
    ac.abort();
    await expect.poll(() => run.engine.stats().listeners).toBe(0);
  });

  it('validates Mcp-Param-* headers of x-mcp-header parameters against the arguments', async () => {
    const call = (args: Record<string, unknown>, headers: Record<string, string>) =>
      modernPost(url, 'tools/call', { name: 'regional', arguments: args }, { headers });
    expect((await call({ region: 'us-west1' }, { 'mcp-param-region': 'us-west1' })).status).toBe(200);
    expect((await call({ region: 'Hello' }, { 'mcp-param-region': '=?base64?SGVsbG8=?=' })).status).toBe(200);
    expect((await call({ region: 'SGVsbG8=' }, { 'mcp-param-region': 'SGVsbG8=' })).status).toBe(200);
    expect((await call({ opts: { shard: 42 } }, { 'mcp-param-shard': '42.0' })).status).toBe(200);
    expect((await call({}, {})).status).toBe(200);
    for (const [args, headers] of [
      [{ region: 'us-west1' }, {}],
      [{ region: 'us-west1' }, { 'mcp-param-region': 'eu-west1' }],
      [{ region: 'Hello' }, { 'mcp-param-region': '=?base64?SGVsbG8?=' }],
      [{ region: 'Hello' }, { 'mcp-param-region': '=?base64?SGVs!!!bG8=?=' }],
      [{ opts: { shard: 42 } }, { 'mcp-param-shard': '43' }],
    ] as const) {
      const r = await call(args, headers);
      expect(r.status, JSON.stringify([args, headers])).toBe(400);
      expect(r.body.error.code).toBe(-32020);
    }
  });

  it('ends open listen streams gracefully with a tagged response when the engine closes', async () => {
    const own = await startEngine({ backend });
    const res = await fetch(`${own.url}/mcp`, {
      method: 'POST',
      headers: modernHeaders('subscriptions/listen'),
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 'L',
        method: 'subscriptions/listen',
        params: { _meta: modernMeta(), notifications: { toolsListChanged: true } },
      }),
    });
    const text = res.text();
    await expect.poll(() => own.engine.stats().listeners).toBe(1);
    await own.close();
    const msgs = sseMessages(await text);
    expect(msgs.at(-1)).toEqual({
      jsonrpc: '2.0',
      id: 'L',
      result: { resultType: 'complete', _meta: { 'io.modelcontextprotocol/subscriptionId': 'L' } },
    });
  });

  it('rejects a malformed subscriptions/listen filter with -32602', async () => {
    const r = await modernPost(url, 'subscriptions/listen', { notifications: { toolsListChanged: 'yes' } });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe(-32602);
    expect(r.body.error.message).toContain('params.notifications.toolsListChanged');
  });
});
