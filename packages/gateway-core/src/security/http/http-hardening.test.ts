import { request as httpRequest } from 'node:http';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveApp } from '../../../test/helpers/hono-server.js';
import { bodyLimits } from './body-limits.js';
import { cors } from './cors.js';
import { csrfProtection, issueCsrfToken } from './csrf.js';
import { onSecurityError } from './error-response.js';
import { headerLimits } from './header-limits.js';
import { checkJsonDepth, parseJsonLimited } from './json-limits.js';
import { securityHeaders } from './security-headers.js';

let server: Awaited<ReturnType<typeof serveApp>>;

beforeAll(async () => {
  const app = new Hono<{ Variables: { cspNonce: string } }>();
  app.onError(onSecurityError);
  app.use('*', headerLimits({ maxTotalBytes: 4096, maxFieldBytes: 1024, maxCount: 40 }));
  app.use('*', securityHeaders({ trustForwardedProto: true }));
  app.use('*', cors({ allowedOrigins: ['https://app.example.com'], allowCredentials: true }));
  app.use('*', csrfProtection({ exemptPaths: ['/auth/login'] }));
  app.use('*', bodyLimits({ maxBytes: 2048, maxDepth: 8 }));
  app.get('/page', (c) => {
    c.header('X-Powered-By', 'Express');
    return c.text(`nonce=${c.get('cspNonce')}`);
  });
  app.get('/redirect', () => Response.redirect('https://example.com/', 302));
  app.get('/csrf', (c) => c.text(issueCsrfToken(c, { secure: false })));
  app.post('/echo', async (c) => c.json({ got: await c.req.json() }));
  app.post('/raw', async (c) => c.text(`len=${(await c.req.text()).length}`));
  app.post('/auth/login', (c) => c.text('login'));
  server = await serveApp(app as unknown as Hono);
});
afterAll(() => server.close());

const url = (p: string) => `${server.url}${p}`;
const errorOf = async (r: Response) =>
  ((await r.json()) as { error: { code: string; message: string; field?: string } }).error;

describe('securityHeaders', () => {
  it('sets CSP with a fresh nonce, nosniff, frame and referrer policies, and strips X-Powered-By', async () => {
    const a = await fetch(url('/page'));
    const b = await fetch(url('/page'));
    const nonce = (await a.text()).slice('nonce='.length);
    expect(a.headers.get('content-security-policy')).toContain(`'nonce-${nonce}'`);
    expect(a.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect((await b.text()).slice(6)).not.toBe(nonce);
    expect(a.headers.get('x-content-type-options')).toBe('nosniff');
    expect(a.headers.get('x-frame-options')).toBe('DENY');
    expect(a.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    expect(a.headers.get('x-powered-by')).toBeNull();
    expect(a.headers.get('strict-transport-security')).toBeNull();
  });

  it('adds HSTS behind a TLS-terminating proxy and works on immutable responses', async () => {
    const r = await fetch(url('/redirect'), {
      redirect: 'manual',
      headers: { 'x-forwarded-proto': 'https' },
    });
    expect(r.status).toBe(302);
    expect(r.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
    expect(r.headers.get('x-frame-options')).toBe('DENY');
  });

  it('validates options eagerly', () => {
    expect(() => securityHeaders({ referrerPolicy: 'sometimes' })).toThrow(/unknown policy/);
    expect(() => securityHeaders({ hsts: { maxAgeSec: -1 } })).toThrow(/hsts.maxAgeSec/);
  });
});

describe('cors', () => {
  it('answers an allowed preflight with the MCP headers', async () => {
    const r = await fetch(url('/echo'), {
      method: 'OPTIONS',
      headers: {
        origin: 'https://app.example.com',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'mcp-session-id',
      },
    });
    expect(r.status).toBe(204);
    expect(r.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(r.headers.get('access-control-allow-credentials')).toBe('true');
    expect(r.headers.get('access-control-allow-headers')).toContain('Mcp-Session-Id');
    expect(r.headers.get('access-control-allow-headers')).toContain('Last-Event-ID');
  });

  it('exposes MCP headers on allowed requests and refuses other origins with 403 (DNS rebinding defence)', async () => {
    const ok = await fetch(url('/page'), { headers: { origin: 'https://app.example.com' } });
    expect(ok.headers.get('access-control-expose-headers')).toContain('Mcp-Session-Id');
    expect(ok.headers.get('vary')).toContain('Origin');
    const evil = await fetch(url('/page'), { headers: { origin: 'http://evil.example' } });
    expect(evil.status).toBe(403);
    expect(await evil.json()).toEqual({
      error: {
        code: 'ORIGIN_NOT_ALLOWED',
        message: "origin 'http://evil.example' is not allowed",
        field: 'Origin',
      },
    });
  });

  it('rejects unsafe configurations', () => {
    expect(() => cors({ allowedOrigins: '*', allowCredentials: true })).toThrow(/cannot be combined/);
    expect(() => cors({ allowedOrigins: ['https://a.example/path'] })).toThrow(/ALLOWED_ORIGINS.0/);
  });
});

describe('csrfProtection', () => {
  it('requires the double-submit header for cookie sessions, not for bearer calls or exempt paths', async () => {
    const token = await (await fetch(url('/csrf'))).text();
    const cookie = `jwt_token=session; mcpgateway_csrf_token=${token}`;
    const post = (headers: Record<string, string>, path = '/raw') =>
      fetch(url(path), { method: 'POST', body: 'x', headers });
    expect((await post({ cookie })).status).toBe(403);
    expect((await post({ cookie, 'x-csrf-token': 'wrong' })).status).toBe(403);
    expect((await post({ cookie, 'x-csrf-token': token })).status).toBe(200);
    expect((await post({ cookie, 'x-csrf-token': token, origin: 'https://evil.example' })).status).toBe(403);
    expect((await post({ cookie, 'x-csrf-token': token, origin: 'https://app.example.com' })).status).toBe(
      403,
    );
    expect((await post({ authorization: 'Bearer t', cookie })).status).toBe(200);
    expect((await post({ cookie }, '/auth/login')).status).toBe(200);
    expect((await post({})).status).toBe(200);
  });
});

describe('headerLimits', () => {
  function rawRequest(headers: Array<[string, string]>): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const req = httpRequest(
        { host: '127.0.0.1', port: server.port, path: '/page', headers: Object.fromEntries(headers) },
        (res) => {
          let body = '';
          res.on('data', (d) => (body += d));
          res.on('end', () => resolve({ status: res.statusCode!, body }));
        },
      );
      req.on('error', reject);
      req.end();
    });
  }

  it('answers 431 for too many, too large or too large in total, naming the header', async () => {
    const many = await rawRequest(Array.from({ length: 60 }, (_, i) => [`x-h${i}`, 'v']));
    expect(many.status).toBe(431);
    expect(JSON.parse(many.body).error.message).toBe('more than 40 request headers');
    const big = await rawRequest([['x-big', 'a'.repeat(2000)]]);
    expect([big.status, JSON.parse(big.body).error.field]).toEqual([431, 'x-big']);
    const total = await rawRequest(Array.from({ length: 6 }, (_, i) => [`x-t${i}`, 'b'.repeat(900)]));
    expect(total.status).toBe(431);
    expect((await rawRequest([['x-ok', 'fine']])).status).toBe(200);
  });
});

describe('bodyLimits and JSON limits', () => {
  const post = (
    body: string | ReadableStream<Uint8Array>,
    headers: Record<string, string> = { 'content-type': 'application/json' },
  ) => fetch(url('/echo'), { method: 'POST', body, headers, duplex: 'half' } as RequestInit);

  it('parses JSON once and hands it to the handler', async () => {
    const r = await post(JSON.stringify({ a: [1, { b: 2 }] }));
    expect(await r.json()).toEqual({ got: { a: [1, { b: 2 }] } });
  });

  it('refuses declared and streamed oversize bodies with 413', async () => {
    expect((await post(JSON.stringify({ a: 'x'.repeat(5000) }))).status).toBe(413);
    const stream = new ReadableStream({
      start(ctl) {
        for (let i = 0; i < 10; i++) ctl.enqueue(new TextEncoder().encode('x'.repeat(500)));
        ctl.close();
      },
    });
    const r = await post(stream);
    expect(r.status).toBe(413);
    expect((await errorOf(r)).code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('refuses deep nesting with 400 JSON_TOO_DEEP and bad JSON with 400 INVALID_JSON', async () => {
    const deep = await post('['.repeat(9) + ']'.repeat(9));
    expect([deep.status, (await errorOf(deep)).code]).toEqual([400, 'JSON_TOO_DEEP']);
    const bad = await post('{"a":');
    expect([bad.status, (await errorOf(bad)).code]).toEqual([400, 'INVALID_JSON']);
  });

  it('checks depth by scanning, ignoring brackets inside strings', () => {
    expect(() => checkJsonDepth(JSON.stringify({ s: '[[[[[[[[[[[[' }), 2)).not.toThrow();
    expect(() => checkJsonDepth('{"a":{"b":{"c":1}}}', 2)).toThrow(/deeper than 2 levels/);
    expect(() => checkJsonDepth('["\\"[[["]', 1)).not.toThrow();
    expect(() => parseJsonLimited('['.repeat(100_000), { maxDepth: 64, maxBytes: 200_000 })).toThrow(
      /deeper than 64/,
    );
    expect(parseJsonLimited(new TextEncoder().encode('{"ok":true}'))).toEqual({ ok: true });
  });
});
