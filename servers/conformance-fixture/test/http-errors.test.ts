import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HttpFixture, startHttpFixture } from '../src/index.js';

const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
const initialize = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } },
};

/** Reads a JSON-RPC error body. */
const errorOf = async (response: Response) =>
  ((await response.json()) as { error: { code: number; message: string; data?: unknown } }).error;

async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(url, {
    method: 'POST',
    headers: { ...JSON_HEADERS, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

describe('the HTTP fixture answers bad input with clear errors', () => {
  let fixture: HttpFixture;
  beforeAll(async () => {
    fixture = await startHttpFixture({ maxBodyBytes: 1024, sessions: { maxSessions: 2 } });
  });
  afterAll(async () => {
    await fixture.close();
  });

  it('rejects invalid JSON with 400 and a -32700 parse error', async () => {
    const response = await post(fixture.url, '{"jsonrpc":');
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: { code: -32700, message: expect.stringMatching(/^Parse error/) },
    });
  });

  it('rejects a non-JSON content type with 415', async () => {
    const response = await post(fixture.url, 'x', { 'content-type': 'text/plain' });
    expect(response.status).toBe(415);
    expect((await errorOf(response)).message).toContain('Content-Type must be application/json');
  });

  it('rejects a body over the limit with 413', async () => {
    const response = await post(fixture.url, { ...initialize, padding: 'x'.repeat(2048) });
    expect(response.status).toBe(413);
    expect((await errorOf(response)).message).toContain('exceeds 1024 bytes');
  });

  it('answers an unknown session with 404 and a missing session with 400', async () => {
    const unknown = await post(
      fixture.url,
      { jsonrpc: '2.0', id: 2, method: 'tools/list' },
      { 'mcp-session-id': 'nope' },
    );
    expect(unknown.status).toBe(404);
    expect(await errorOf(unknown)).toMatchObject({ code: -32001, message: 'Session not found: nope' });
    const missing = await post(fixture.url, { jsonrpc: '2.0', id: 2, method: 'tools/list' });
    expect(missing.status).toBe(400);
    expect((await errorOf(missing)).message).toContain('Mcp-Session-Id header is required');
    const stream = await fetch(fixture.url, { headers: { accept: 'text/event-stream' } });
    expect(stream.status).toBe(400);
    await stream.body?.cancel();
  });

  it('rejects a non-local Host or Origin (DNS rebinding) with 403', async () => {
    const response = await post(fixture.url, initialize, { origin: 'http://evil.example.com' });
    expect(response.status).toBe(403);
    await response.body?.cancel();
  });

  it('answers an unknown path with 404, an unsupported method with 405, and serves /healthz', async () => {
    const base = new URL(fixture.url);
    expect((await fetch(new URL('/nope', base))).status).toBe(404);
    const put = await fetch(fixture.url, { method: 'PUT' });
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('GET, POST, DELETE');
    expect(await (await fetch(new URL('/healthz', base))).json()).toMatchObject({ status: 'ok' });
  });

  it('rejects a 2026-07-28 request with an unsupported version with -32022 and the supported list', async () => {
    const response = await post(
      fixture.url,
      {
        jsonrpc: '2.0',
        id: 3,
        method: 'tools/list',
        params: {
          _meta: {
            'io.modelcontextprotocol/protocolVersion': '2099-01-01',
            'io.modelcontextprotocol/clientCapabilities': {},
          },
        },
      },
      { 'mcp-protocol-version': '2099-01-01', 'mcp-method': 'tools/list' },
    );
    expect(response.status).toBe(400);
    expect(await errorOf(response)).toMatchObject({
      code: -32022,
      data: { supported: ['2026-07-28'] },
    });
  });

  it('bounds 2025-era sessions and frees a slot when a session is deleted', async () => {
    const open = async () => {
      const response = await post(fixture.url, initialize);
      await response.body?.cancel();
      return response;
    };
    const first = await open();
    const second = await open();
    expect([first.status, second.status]).toEqual([200, 200]);
    const refused = await open();
    expect(refused.status).toBe(503);
    const id = first.headers.get('mcp-session-id') ?? '';
    const deleted = await fetch(fixture.url, { method: 'DELETE', headers: { 'mcp-session-id': id } });
    expect(deleted.status).toBe(200);
    const gone = await post(fixture.url, { jsonrpc: '2.0', id: 4, method: 'ping' }, { 'mcp-session-id': id });
    expect(gone.status).toBe(404);
    expect((await open()).status).toBe(200);
  });
});

describe('idle 2025-era sessions', () => {
  it('are closed after the idle timeout, so later requests get 404', async () => {
    const fixture = await startHttpFixture({ sessions: { idleTimeoutMs: 1_000 } });
    try {
      const opened = await post(fixture.url, initialize);
      await opened.body?.cancel();
      const id = opened.headers.get('mcp-session-id') ?? '';
      expect(id).not.toBe('');
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      const late = await post(
        fixture.url,
        { jsonrpc: '2.0', id: 2, method: 'ping' },
        { 'mcp-session-id': id },
      );
      expect(late.status).toBe(404);
      await late.body?.cancel();
    } finally {
      await fixture.close();
    }
  });
});
