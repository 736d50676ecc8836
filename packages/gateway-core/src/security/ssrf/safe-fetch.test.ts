import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBody, startServer, type TestServer } from '../../../test/helpers/http-server.js';
import { isSecurityError } from '../errors.js';
import { createSafeFetch, readResponseText } from './safe-fetch.js';
import { type HostResolver, SsrfGuard } from './ssrf-guard.js';
import { createSsrfPolicy } from './ssrf-policy.js';

let a: TestServer;
let b: TestServer;
const seen: Array<{ server: string; method: string; auth: string | undefined; body: string }> = [];

beforeAll(async () => {
  a = await startServer(async (req, res) => {
    seen.push({
      server: 'a',
      method: req.method!,
      auth: req.headers.authorization,
      body: await readBody(req),
    });
    const u = new URL(req.url!, 'http://x');
    const to = u.searchParams.get('to');
    if (to) {
      res.writeHead(Number(u.searchParams.get('status') ?? 302), { location: to });
      res.end();
      return;
    }
    if (u.pathname === '/loop') {
      res.writeHead(302, { location: '/loop' });
      res.end();
      return;
    }
    if (u.pathname === '/big') {
      res.end('x'.repeat(10_000));
      return;
    }
    res.end(`hello from a ${u.pathname}`);
  });
  b = await startServer(async (req, res) => {
    seen.push({
      server: 'b',
      method: req.method!,
      auth: req.headers.authorization,
      body: await readBody(req),
    });
    res.end('hello from b');
  });
});
afterAll(async () => {
  await a.close();
  await b.close();
});

function guardWith(resolver: HostResolver, allowLocalhost = false, allowedNetworks: string[] = []) {
  return new SsrfGuard(createSsrfPolicy({ allowLocalhost, allowedNetworks }), { resolver });
}

async function refused(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (isSecurityError(err) && err.code === 'URL_NOT_ALLOWED') return String(err.details?.reason);
    throw err;
  }
  throw new Error('expected a URL_NOT_ALLOWED refusal');
}

describe('createSafeFetch', () => {
  it('connects to the address the guard resolved (a name only the guard knows reaches the server)', async () => {
    const resolver: HostResolver = async (h) =>
      h === 'svc.test' ? [{ address: '127.0.0.1', family: 4 }] : [];
    const safeFetch = createSafeFetch({ guard: guardWith(resolver, true) });
    const res = await safeFetch(`http://svc.test:${a.port}/ping`);
    expect(await res.text()).toBe('hello from a /ping');
  });

  it('refuses a DNS-rebinding name at connect time even though the pre-check saw a public address', async () => {
    let calls = 0;
    const resolver: HostResolver = async () => {
      calls++;
      return calls === 1 ? [{ address: '93.184.216.34', family: 4 }] : [{ address: '127.0.0.1', family: 4 }];
    };
    const safeFetch = createSafeFetch({ guard: guardWith(resolver) });
    expect(await refused(safeFetch(`http://rebind.test:${a.port}/`))).toBe('loopback');
    expect(calls).toBe(2);
  });

  it('re-checks every redirect target and refuses metadata and loopback hops', async () => {
    const guard = guardWith(async () => [], false, ['127.0.0.1/32']);
    const safeFetch = createSafeFetch({ guard });
    const meta = `${a.url}/r?to=${encodeURIComponent('http://169.254.169.254/latest/meta-data/')}`;
    expect(await refused(safeFetch(meta))).toBe('metadata');
    // `localhost` also means ::1, which the allowlist does not cover: one bad address refuses the hop.
    const local = `${a.url}/r?to=${encodeURIComponent(`http://localhost:${b.port}/`)}`;
    expect(await refused(safeFetch(local))).toBe('loopback');
  });

  it('follows allowed redirects, dropping Authorization across origins and turning POST into GET on 303', async () => {
    seen.length = 0;
    const safeFetch = createSafeFetch({ guard: guardWith(async () => [], true) });
    const url = `${a.url}/r?status=303&to=${encodeURIComponent(`${b.url}/done`)}`;
    const res = await safeFetch(url, {
      method: 'POST',
      body: 'payload',
      headers: { authorization: 'Bearer s3cret' },
    });
    expect(await res.text()).toBe('hello from b');
    expect(seen).toEqual([
      { server: 'a', method: 'POST', auth: 'Bearer s3cret', body: 'payload' },
      { server: 'b', method: 'GET', auth: undefined, body: '' },
    ]);
  });

  it('keeps method and body on 307 and stops after maxRedirects', async () => {
    seen.length = 0;
    const safeFetch = createSafeFetch({ guard: guardWith(async () => [], true), maxRedirects: 3 });
    const res = await safeFetch(`${a.url}/r?status=307&to=/echo`, { method: 'PUT', body: 'again' });
    expect(res.status).toBe(200);
    expect(seen.map((s) => `${s.method} ${s.body}`)).toEqual(['PUT again', 'PUT again']);
    expect(await refused(safeFetch(`${a.url}/loop`))).toBe('redirect-limit');
  });

  it('returns the redirect itself with redirect: manual', async () => {
    const safeFetch = createSafeFetch({ guard: guardWith(async () => [], true) });
    const res = await safeFetch(`${a.url}/r?to=/x`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/x');
  });

  it('refuses the first URL before any connection is made', async () => {
    const safeFetch = createSafeFetch({ guard: guardWith(async () => []) });
    expect(await refused(safeFetch(`${a.url}/`))).toBe('loopback');
  });

  it('readResponseText refuses bodies over the limit with PAYLOAD_TOO_LARGE', async () => {
    const safeFetch = createSafeFetch({ guard: guardWith(async () => [], true) });
    await expect(readResponseText(await safeFetch(`${a.url}/big`), 1000, 'jwks')).rejects.toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      field: 'jwks',
    });
    expect(await readResponseText(await safeFetch(`${a.url}/small`), 1000)).toBe('hello from a /small');
  });
});
