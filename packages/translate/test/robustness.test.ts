import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { cliPath, echoPath, expectAllGone, startTranslate, stopAll } from './helpers.js';
import { call, openSession, post } from './http.js';

afterEach(stopAll);

const echoServer = ['--', process.execPath, echoPath];
const http = (...extra: string[]) => ['stdio-to-streamable-http', '--port', '0', ...extra, ...echoServer];

describe('mcp-translate answers failures clearly and leaks no process', () => {
  it('answers the pending request of a crashed child with -32000 and restarts it with the session intact', async () => {
    const t = await startTranslate(http());
    const mcp = `${t.url}/mcp`;
    const sid = await openSession(mcp);
    const pidBefore = await post(mcp, call(1, 'pid'), { 'mcp-session-id': sid });
    const crashed = await post(mcp, call(2, 'crash'), { 'mcp-session-id': sid });
    expect(crashed.status).toBe(200);
    expect(crashed.body).toMatchObject({
      id: 2,
      error: {
        code: -32000,
        message: expect.stringContaining('exited with code 3 before answering "tools/call"'),
      },
    });
    // restarted with backoff; initialize replayed, so the same session works again
    let after = await post(mcp, call(3, 'pid'), { 'mcp-session-id': sid });
    for (let i = 0; i < 50 && (after.body as { error?: unknown }).error; i++) {
      await new Promise((r) => setTimeout(r, 100));
      after = await post(mcp, call(3, 'pid'), { 'mcp-session-id': sid });
    }
    const pidOf = (r: { body: unknown }) =>
      (r.body as { result: { content: [{ text: string }] } }).result.content[0].text;
    expect(pidOf(after)).not.toBe(pidOf(pidBefore));
    await expectAllGone([Number(pidOf(pidBefore))]);
    expect(t.stderr()).toContain('exited with code 3');
    expect(await t.stop()).toBe(0);
  });

  it('answers invalid JSON, invalid JSON-RPC and batches with 400 and a JSON-RPC error', async () => {
    const t = await startTranslate(http());
    const mcp = `${t.url}/mcp`;
    const bad = await post(mcp, '{"jsonrpc": "2.0", "id": 1,');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({
      id: null,
      error: { code: -32700, message: expect.stringContaining('not valid JSON') },
    });
    const invalid = await post(mcp, { jsonrpc: '1.0', id: 7, method: 'tools/list' });
    expect(invalid.status).toBe(400);
    expect(invalid.body).toMatchObject({
      id: 7,
      error: { code: -32600, message: expect.stringContaining('"jsonrpc" must be "2.0"') },
    });
    const batch = await post(mcp, [{ jsonrpc: '2.0', id: 1, method: 'ping' }]);
    expect(batch.body).toMatchObject({
      error: { code: -32600, message: expect.stringContaining('batches are not supported') },
    });
    const wrongType = await post(mcp, '{}', { 'content-type': 'text/plain' });
    expect(wrongType.status).toBe(415);
    expect(await t.stop()).toBe(0);
  });

  it('survives a child that writes a non-JSON line and logs it on stderr', async () => {
    const t = await startTranslate(http());
    const mcp = `${t.url}/mcp`;
    const sid = await openSession(mcp);
    const r = await post(mcp, call(1, 'garbage'), { 'mcp-session-id': sid });
    expect(r.body).toMatchObject({ id: 1, result: { content: [{ text: 'after garbage' }] } });
    expect(t.stderr()).toContain('not JSON');
    expect(await t.stop()).toBe(0);
  });

  it('refuses oversize messages both ways with -32004 naming the limit', async () => {
    const t = await startTranslate(http('--max-message-bytes', '64kb'));
    const mcp = `${t.url}/mcp`;
    const sid = await openSession(mcp);
    const upload = await post(mcp, call(1, 'echo', { text: 'x'.repeat(100_000) }), { 'mcp-session-id': sid });
    expect(upload.status).toBe(413);
    expect(upload.body).toMatchObject({
      error: { code: -32004, message: expect.stringContaining('65536-byte limit') },
    });
    const download = await post(mcp, call(2, 'big', { bytes: 100_000 }), { 'mcp-session-id': sid });
    expect(download.body).toMatchObject({
      id: 2,
      error: { code: -32004, message: expect.stringContaining('65536-byte limit') },
    });
    const fine = await post(mcp, call(3, 'echo', { text: 'still fine' }), { 'mcp-session-id': sid });
    expect(fine.body).toMatchObject({ id: 3, result: { content: [{ text: 'still fine' }] } });
    expect(await t.stop()).toBe(0);
  });

  it('answers unknown sessions with 404 and -32002 on streamable HTTP and SSE', async () => {
    const t = await startTranslate(['serve', '--port', '0', ...echoServer]);
    const r = await post(`${t.url}/mcp`, call(1, 'echo'), { 'mcp-session-id': 'no-such-session' });
    expect(r.status).toBe(404);
    expect(r.body).toMatchObject({
      id: 1,
      error: { code: -32002, message: expect.stringContaining('no-such-session') },
    });
    const sse = await post(`${t.url}/message?sessionId=nope`, call(2, 'echo'));
    expect(sse.status).toBe(404);
    expect(sse.body).toMatchObject({ id: 2, error: { code: -32002 } });
    const none = await post(`${t.url}/mcp`, call(3, 'echo'));
    expect(none.status).toBe(400);
    expect(none.body).toMatchObject({
      error: { message: expect.stringContaining('Mcp-Session-Id header is required') },
    });
    expect(await t.stop()).toBe(0);
  });

  it('cancels a slow call in the child when its client disconnects, and keeps serving', async () => {
    const t = await startTranslate(http('--log-level', 'debug'));
    const mcp = `${t.url}/mcp`;
    const sid = await openSession(mcp);
    const controller = new AbortController();
    const slow = fetch(mcp, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-session-id': sid,
      },
      body: JSON.stringify(call(1, 'slow', { ms: 10_000 })),
      signal: controller.signal,
    }).catch((e: Error) => e);
    await new Promise((r) => setTimeout(r, 200));
    controller.abort();
    await slow;
    await new Promise((r) => setTimeout(r, 200));
    expect(t.stderr()).toContain('client disconnected before the answer; cancelling');
    const r = await post(mcp, call(2, 'echo', { text: 'next' }), { 'mcp-session-id': sid });
    expect(r.body).toMatchObject({ id: 2, result: { content: [{ text: 'next' }] } });
    expect(await t.stop()).toBe(0);
  });

  it('serves concurrent slow calls with the same ids from different sessions on one shared child', async () => {
    const t = await startTranslate(http('--shared-child'));
    const mcp = `${t.url}/mcp`;
    const [a, b] = await Promise.all([openSession(mcp), openSession(mcp)]);
    const [ra, rb] = await Promise.all([
      post(mcp, call(1, 'slow', { ms: 300 }), { 'mcp-session-id': a }),
      post(mcp, call(1, 'echo', { text: 'b' }), { 'mcp-session-id': b }),
    ]);
    expect(ra.body).toMatchObject({ id: 1, result: { content: [{ text: 'slept 300 ms' }] } });
    expect(rb.body).toMatchObject({ id: 1, result: { content: [{ text: 'b' }] } });
    expect(t.descendants()).toHaveLength(1);
    expect(await t.stop()).toBe(0);
  });

  it('limits sessions with --max-sessions (503, -32003) and reaps idle ones with --session-timeout', async () => {
    const t = await startTranslate(http('--max-sessions', '2', '--session-timeout', '400ms'));
    const mcp = `${t.url}/mcp`;
    const a = await openSession(mcp);
    await openSession(mcp);
    const third = await post(mcp, {
      jsonrpc: '2.0',
      id: 9,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } },
    });
    expect(third.status).toBe(503);
    expect(third.body).toMatchObject({
      id: 9,
      error: { code: -32003, message: expect.stringContaining('--max-sessions') },
    });
    const children = t.descendants();
    expect(children).toHaveLength(2);
    await new Promise((r) => setTimeout(r, 1200));
    await expectAllGone(children);
    const gone = await post(mcp, call(1, 'echo'), { 'mcp-session-id': a });
    expect(gone.status).toBe(404);
    await openSession(mcp); // slots are free again
    expect(await t.stop()).toBe(0);
  });

  it('passes --header-to-env values into the session child and rejects bad values', async () => {
    const t = await startTranslate(http('--header-to-env', 'X-Tenant=TENANT_ID'));
    const mcp = `${t.url}/mcp`;
    const sid = await openSession(mcp, { 'x-tenant': 'acme' });
    const r = await post(mcp, call(1, 'env', { name: 'TENANT_ID' }), { 'mcp-session-id': sid });
    expect(r.body).toMatchObject({ result: { content: [{ text: 'acme' }] } });
    const other = await openSession(mcp, { 'x-tenant': 'globex' });
    const r2 = await post(mcp, call(1, 'env', { name: 'TENANT_ID' }), { 'mcp-session-id': other });
    expect(r2.body).toMatchObject({ result: { content: [{ text: 'globex' }] } });
    const tooLong = await post(
      mcp,
      {
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } },
      },
      { 'x-tenant': 'a'.repeat(5000) },
    );
    expect(tooLong.status).toBe(400);
    expect(tooLong.body).toMatchObject({ error: { message: expect.stringContaining('at most 4096') } });
    expect(await t.stop()).toBe(0);
  });

  it('requires the --oauth2-bearer token from clients but not on /healthz', async () => {
    const t = await startTranslate(http('--oauth2-bearer', 's3cret'));
    const health = await fetch(`${t.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.text()).toBe('ok');
    const denied = await post(`${t.url}/mcp`, call(1, 'echo'));
    expect(denied.status).toBe(401);
    expect(denied.headers.get('www-authenticate')).toBe('Bearer');
    await openSession(`${t.url}/mcp`, { authorization: 'Bearer s3cret' });
    expect(t.stderr()).not.toContain('s3cret');
    expect(await t.stop()).toBe(0);
  });

  it('answers CORS preflights and exposes Mcp-Session-Id to allowed origins only', async () => {
    const t = await startTranslate(http('--cors', 'http://localhost:3000'));
    const mcp = `${t.url}/mcp`;
    const preflight = await fetch(mcp, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:3000', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('mcp-session-id');
    const init = await post(
      mcp,
      {
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } },
      },
      { origin: 'http://localhost:3000' },
    );
    expect(init.headers.get('access-control-expose-headers')).toContain('mcp-session-id');
    const other = await fetch(mcp, { method: 'OPTIONS', headers: { origin: 'http://localhost:4000' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    expect(await t.stop()).toBe(0);
  });

  it('rejects requests with a foreign Host or Origin on loopback (DNS rebinding) with 403', async () => {
    const t = await startTranslate(http());
    const r = await post(`${t.url}/mcp`, call(1, 'echo'), { origin: 'http://evil.example' });
    expect(r.status).toBe(403);
    expect(r.body).toMatchObject({
      error: { message: expect.stringContaining('Origin "http://evil.example" is not allowed') },
    });
    expect(await t.stop()).toBe(0);
  });
});

describe('mcp-translate modes', () => {
  it('serves --stateless clients without sessions from one child, answering initialize from cache', async () => {
    const t = await startTranslate(http('--stateless', '--json-response'));
    const mcp = `${t.url}/mcp`;
    const init = {
      jsonrpc: '2.0',
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } },
    };
    const first = await post(mcp, { ...init, id: 1 });
    const second = await post(mcp, { ...init, id: 2 });
    expect(first.headers.get('mcp-session-id')).toBeNull();
    expect(first.headers.get('content-type')).toBe('application/json');
    expect(second.body).toMatchObject({ id: 2, result: { serverInfo: { name: 'echo-stdio' } } });
    const calls = await Promise.all([1, 2, 3].map((i) => post(mcp, call(i, 'echo', { text: `n${i}` }))));
    expect(
      calls.map((c) => (c.body as { result: { content: [{ text: string }] } }).result.content[0].text),
    ).toEqual(['n1', 'n2', 'n3']);
    expect(t.descendants()).toHaveLength(1);
    expect((await fetch(mcp, { headers: { accept: 'text/event-stream' } })).status).toBe(405);
    expect(await t.stop()).toBe(0);
  });

  it('keeps idle SSE streams alive with comments at --keep-alive', async () => {
    const t = await startTranslate(['stdio-to-sse', '--port', '0', '--keep-alive', '100ms', ...echoServer]);
    const controller = new AbortController();
    const response = await fetch(`${t.url}/sse`, {
      headers: { accept: 'text/event-stream' },
      signal: controller.signal,
    });
    const reader = response.body!.getReader();
    let text = '';
    while (!text.includes(': keepalive')) text += new TextDecoder().decode((await reader.read()).value);
    expect(text).toMatch(/^event: endpoint\ndata: \/message\?sessionId=[0-9a-f-]{36}\n\n/);
    controller.abort();
    expect(await t.stop()).toBe(0);
  });
});

describe('mcp-translate at the 2026-07-28 edge', () => {
  const meta = {
    'io.modelcontextprotocol/protocolVersion': '2026-07-28',
    'io.modelcontextprotocol/clientCapabilities': {},
  };
  const modern = { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': 'echo' };

  it('serves stateless requests and rejects missing _meta, mismatched headers and unsupported versions with 400', async () => {
    const t = await startTranslate(http());
    const mcp = `${t.url}/mcp`;
    const ok = await post(
      mcp,
      {
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name: 'echo', arguments: { text: 'modern' }, _meta: meta },
      },
      modern,
    );
    expect(ok.status).toBe(200);
    expect(ok.headers.get('mcp-session-id')).toBeNull();
    expect(ok.body).toMatchObject({ id: 1, result: { content: [{ text: 'modern' }] } });
    const noMeta = await post(
      mcp,
      { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'echo' } },
      modern,
    );
    expect(noMeta.status).toBe(400);
    expect(noMeta.body).toMatchObject({
      id: 2,
      error: { code: -32602, message: expect.stringContaining('_meta') },
    });
    const mismatch = await post(
      mcp,
      { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'echo', _meta: meta } },
      { ...modern, 'mcp-name': 'other' },
    );
    expect(mismatch.status).toBe(400);
    expect(mismatch.body).toMatchObject({
      id: 3,
      error: { code: -32020, message: expect.stringContaining('Mcp-Name header "other"') },
    });
    const future = { ...meta, 'io.modelcontextprotocol/protocolVersion': '2099-01-01' };
    const unsupported = await post(
      mcp,
      { jsonrpc: '2.0', id: 4, method: 'tools/call', params: { name: 'echo', _meta: future } },
      { ...modern, 'mcp-protocol-version': '2099-01-01' },
    );
    expect(unsupported.status).toBe(400);
    expect(unsupported.body).toMatchObject({
      id: 4,
      error: {
        code: -32022,
        data: { requested: '2099-01-01', supported: expect.arrayContaining(['2026-07-28']) },
      },
    });
    const get = await fetch(mcp, {
      headers: { 'mcp-protocol-version': '2026-07-28', accept: 'text/event-stream' },
    });
    expect(get.status).toBe(405);
    expect(await t.stop()).toBe(0);
  });

  it('answers a WebSocket frame that is not JSON with a -32700 frame and keeps the connection', async () => {
    const { default: WebSocket } = await import('ws');
    const t = await startTranslate(['stdio-to-ws', '--port', '0', ...echoServer]);
    const ws = new WebSocket(`${t.url.replace('http', 'ws')}/message`, 'mcp');
    const frames: unknown[] = [];
    ws.on('message', (d) => frames.push(JSON.parse(d.toString())));
    await new Promise((r) => ws.once('open', r));
    ws.send('not json');
    ws.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }));
    for (let i = 0; i < 100 && frames.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
    expect(frames[0]).toMatchObject({ id: null, error: { code: -32700 } });
    expect(frames[1]).toEqual({ jsonrpc: '2.0', id: 1, result: {} });
    ws.close();
    expect(await t.stop()).toBe(0);
  });
});

describe('mcp-translate usage errors exit with 2 and name the problem', () => {
  const run = (...args: string[]) => spawnSync(process.execPath, [cliPath, ...args], { encoding: 'utf8' });

  it('exits 2 when no server command is given', () => {
    const r = run('stdio-to-sse', '--port', '0');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('no MCP server command');
  });

  it('exits 2 for --header-to-env that would set PATH', () => {
    const r = run('stdio-to-sse', '--header-to-env', 'X-Path=PATH', '--', 'node');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('may not set PATH');
  });

  it('exits 2 when --header-to-env is combined with --shared-child', () => {
    const r = run('stdio-to-sse', '--shared-child', '--header-to-env', 'X-A=A', '--port', '0', '--', 'node');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('cannot be combined with --shared-child');
  });

  it('exits 2 for a malformed duration', () => {
    const r = run('stdio-to-sse', '--session-timeout', 'soon', '--', 'node');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('expected a duration');
  });

  it('exits 1 when the server command cannot be started', async () => {
    const t = await startTranslate(['stdio-to-streamable-http', '--port', '0', '--', '/no/such/binary']);
    const r = await post(`${t.url}/mcp`, {
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } },
    });
    expect(r.status).toBe(502);
    expect(r.body).toMatchObject({
      id: 1,
      error: { message: expect.stringContaining('cannot start "/no/such/binary"') },
    });
    expect(await t.stop()).toBe(0);
  });

  it('accepts supergateway spellings (--stdio, --outputTransport, --logLevel)', async () => {
    const t = await startTranslate([
      '--stdio',
      `${process.execPath} ${echoPath}`,
      '--outputTransport',
      'streamableHttp',
      '--port',
      '0',
      '--logLevel',
      'info',
    ]);
    await openSession(`${t.url}/mcp`);
    expect(await t.stop()).toBe(0);
  });
});
