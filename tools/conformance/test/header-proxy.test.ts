import { createServer, type IncomingMessage, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HeaderProxy, startHeaderProxy } from '../src/index.mjs';

/** A target that reports what it received, or streams one SSE event and waits for the client to leave. */
function startTarget() {
  const seen: IncomingMessage[] = [];
  let streamClosed: () => void = () => {};
  const closed = new Promise<void>((resolve) => {
    streamClosed = resolve;
  });
  const server = createServer((req, res) => {
    seen.push(req);
    if (req.url?.startsWith('/stream')) {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: first\n\n');
      res.once('close', () => streamClosed());
      return;
    }
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      res.writeHead(201, { 'content-type': 'application/json', 'x-target': 'yes' });
      res.end(JSON.stringify({ method: req.method, url: req.url, headers: req.headers, body }));
    });
  });
  return { server, seen, closed };
}

describe('startHeaderProxy', () => {
  let target: ReturnType<typeof startTarget>;
  let proxy: HeaderProxy;
  let base: string;

  beforeAll(async () => {
    target = startTarget();
    await new Promise<void>((r) => target.server.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(target.server.address() as AddressInfo).port}`;
    proxy = await startHeaderProxy(`${base}/mcp?x=1`, { Authorization: 'Bearer t0ken' });
  });
  afterAll(async () => {
    await proxy?.close();
    await new Promise<void>((r) => (target.server as Server).close(() => r()));
  });

  it('keeps the path and query and answers on 127.0.0.1', () => {
    expect(proxy.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp\?x=1$/);
  });

  it('adds the headers, keeps the client’s own (Host and Origin included) and relays status, headers and body', async () => {
    const res = await fetch(proxy.url.replace('?x=1', ''), {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'http://evil.example.com', authorization: 'x' },
      body: '{"a":1}',
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('x-target')).toBe('yes');
    const echoed = (await res.json()) as {
      method: string;
      url: string;
      headers: Record<string, string>;
      body: string;
    };
    expect(echoed).toMatchObject({ method: 'POST', url: '/mcp', body: '{"a":1}' });
    expect(echoed.headers.authorization).toBe('Bearer t0ken');
    expect(echoed.headers.origin).toBe('http://evil.example.com');
    expect(echoed.headers.host).toBe(new URL(proxy.url).host);
  });

  it('streams responses as they come and ends the upstream exchange when the client leaves', async () => {
    const first = await new Promise<string>((resolve, reject) => {
      const req = request(proxy.url.replace('/mcp?x=1', '/stream'), (res) => {
        res.once('data', (chunk: Buffer) => {
          resolve(chunk.toString());
          req.destroy();
        });
      });
      req.once('error', reject);
      req.end();
    });
    expect(first).toBe('data: first\n\n');
    await target.closed;
  });

  it('refuses a header value that could split the request', async () => {
    await expect(startHeaderProxy(base, { 'x-bad': 'a\r\nb: c' })).rejects.toThrow(/CR, LF or NUL/);
  });
});
