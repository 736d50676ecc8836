// HTTP hardening as wired into the gateway: security headers, the CORS allowlist (same-origin passes, a
// foreign Origin gets 403), CSRF double-submit for cookie sessions, body size and JSON depth limits,
// header limits (431 over a real socket), tiered rate limits (429 + Retry-After over a real socket), and
// the audit trail of auth events and admin changes with secrets redacted.
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/http/serve-app.js';
import { TEST_ADMIN_PASSWORD, type TestGateway, testGateway } from '../gateway-helpers.js';

let t: TestGateway;
let server: RunningServer;

beforeAll(async () => {
  t = await testGateway('sqlite', {
    ALLOWED_ORIGINS: 'https://app.example.com',
    MAX_BODY_SIZE: '4096',
    VALIDATION_MAX_JSON_DEPTH: '20',
  });
  server = await t.gw.listen(0, '127.0.0.1');
});
afterAll(() => t.close());

/** A raw HTTP request (headers exactly as given), for limits that fetch would not let us break. */
function raw(
  url: string,
  headers: Record<string, string | string[]>,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'GET', headers }, (res) => {
      let body = '';
      res.on('data', (c) => {
        body += c;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('security headers and CORS', () => {
  it('sets CSP, frame, content-type and referrer headers on every answer, errors included', async () => {
    for (const path of ['/health', '/v1/nope']) {
      const r = await t.call('GET', path);
      expect(r.headers.get('x-frame-options')).toBe('DENY');
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
      expect(r.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(r.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    }
  });

  it('answers allowed origins with CORS headers and refuses others with 403', async () => {
    const ok = await t.call('GET', '/v1/tools', undefined, { origin: 'https://app.example.com' });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    const pre = await t.call('OPTIONS', '/v1/tools', undefined, {
      origin: 'https://app.example.com',
      'access-control-request-method': 'POST',
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-headers')).toContain('Authorization');
    const evil = await t.call('GET', '/v1/tools', undefined, { origin: 'https://evil.example' });
    expect(evil.status).toBe(403);
    expect(evil.body.error.code).toBe('ORIGIN_NOT_ALLOWED');
    // A same-origin browser request (Origin = the gateway itself) needs no allowlist entry.
    const same = await fetch(`${server.url}/health`, { headers: { origin: server.url } });
    expect(same.status).toBe(200);
  });
});

describe('CSRF protection of cookie sessions', () => {
  it('refuses a cookie-authenticated write without the matching X-CSRF-Token, accepts it with', async () => {
    const login = await t.call(
      'POST',
      '/v1/auth/login',
      { email: 'admin@example.com', password: TEST_ADMIN_PASSWORD },
      { authorization: '' },
    );
    const cookies = Object.fromEntries(
      login.headers.getSetCookie().map((c) => {
        const [pair] = c.split(';');
        const i = pair!.indexOf('=');
        return [pair!.slice(0, i), pair!.slice(i + 1)];
      }),
    ) as Record<string, string>;
    const cookie = `jwt_token=${cookies.jwt_token}; mcpgateway_csrf_token=${cookies.mcpgateway_csrf_token}`;
    const body = { name: 'csrf_tool', url: 'https://api.example.com/c' };
    const forged = await t.call('POST', '/v1/tools', body, { authorization: '', cookie });
    expect(forged.status).toBe(403);
    expect(forged.body.error.code).toBe('CSRF_FAILED');
    const crossSite = await t.call('POST', '/v1/tools', body, {
      authorization: '',
      cookie,
      'x-csrf-token': cookies.mcpgateway_csrf_token!,
      origin: 'https://evil.example',
    });
    expect(crossSite.status).toBe(403);
    const real = await t.call('POST', '/v1/tools', body, {
      authorization: '',
      cookie,
      'x-csrf-token': cookies.mcpgateway_csrf_token!,
    });
    expect(real.status).toBe(201);
    // Reads with the cookie need no token.
    expect((await t.call('GET', '/v1/tools', undefined, { authorization: '', cookie })).status).toBe(200);
  });
});

describe('request limits', () => {
  it('answers an oversize body 413 and deep nesting 400, naming the limit', async () => {
    const big = await t.call('POST', '/v1/tools', {
      name: 'big',
      url: 'https://api.example.com',
      description: 'x'.repeat(8000),
    });
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    const deep = `{"name":"deep","url":"https://api.example.com","input_schema":${'{"a":'.repeat(50)}1${'}'.repeat(50)}}`;
    const r = await t.call('POST', '/v1/tools', deep);
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: 'JSON_TOO_DEEP', field: 'body' });
    expect(r.body.error.message).toContain('deeper than 20 levels');
    const nested = await t.call('POST', '/v1/tools', `${'['.repeat(2000)}${']'.repeat(2000)}`);
    expect(nested.status).toBe(400);
    expect(nested.body.error.code).toBe('JSON_TOO_DEEP');
    const bomb = await t.call('POST', '/v1/tools', `${'['.repeat(100_000)}${']'.repeat(100_000)}`);
    expect(bomb.status).toBe(413);
  });

  it('answers oversize or too many request headers 431 over a real socket', async () => {
    const one = await raw(`${server.url}/health`, { 'x-big': 'y'.repeat(9000) });
    expect(one.status).toBe(431);
    expect(JSON.parse(one.body).error.code).toBe('HEADERS_TOO_LARGE');
    const many: Record<string, string> = {};
    for (let i = 0; i < 120; i++) many[`x-h${i}`] = 'v';
    expect((await raw(`${server.url}/health`, many)).status).toBe(431);
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
  });
});

describe('rate limits', () => {
  it('answers 429 with Retry-After once a client exceeds its tier, per client address', async () => {
    const limited = await testGateway('sqlite', {
      RATE_LIMITING_ENABLED: 'true',
      RATE_LIMIT_AUTH_PER_MINUTE: '3',
    });
    const running = await limited.gw.listen(0, '127.0.0.1');
    try {
      const attempt = () =>
        fetch(`${running.url}/v1/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: 'nobody@example.com', password: 'nope' }),
        });
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await attempt()).status);
      expect(statuses).toEqual([401, 401, 401, 429]);
      const refused = await attempt();
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(refused.headers.get('x-ratelimit-remaining')).toBe('0');
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('RATE_LIMITED');
      // Another tier is counted separately.
      const health = await fetch(`${running.url}/health`);
      expect(health.status).toBe(200);
      expect(health.headers.get('x-ratelimit-limit')).toBe('600');
    } finally {
      await limited.close();
    }
  });
});

describe('the audit trail', () => {
  it('records auth events and admin changes, readable by admins only, without secrets', async () => {
    await t.call(
      'POST',
      '/v1/auth/login',
      { email: 'admin@example.com', password: 'Wrong-Passw0rd!' },
      { authorization: '' },
    );
    const created = await t.call('POST', '/v1/gateways', {
      name: 'audited',
      url: 'https://upstream.example.com/mcp',
      transport: 'STREAMABLEHTTP',
      auth_type: 'bearer',
      auth_token: 'super-secret-upstream-token',
    });
    expect(created.status).toBe(201);
    await t.call('DELETE', `/v1/gateways/${created.body.id}`);
    const trail = await t.call('GET', '/api/logs/audit-trails?limit=200');
    expect(trail.status).toBe(200);
    const events = trail.body.events as Array<{
      action: string;
      outcome: string;
      target?: { id?: string };
      actor: { subject: string };
    }>;
    const actions = events.map((e) => e.action);
    expect(actions).toContain('auth.login.failed');
    expect(actions).toContain('auth.login.succeeded');
    expect(
      events.find((e) => e.action === 'entity.created' && e.target?.id === created.body.id)?.actor.subject,
    ).toBe('admin@example.com');
    expect(
      events.find((e) => e.action === 'entity.deleted' && e.target?.id === created.body.id),
    ).toBeDefined();
    const text = JSON.stringify(trail.body);
    expect(text).not.toContain('super-secret-upstream-token');
    expect(text).not.toContain('Wrong-Passw0rd!');
    expect(text).not.toContain(TEST_ADMIN_PASSWORD);
    const filtered = await t.call('GET', '/api/logs/audit-trails?action=auth.*&limit=5');
    expect(
      (filtered.body.events as Array<{ action: string }>).every((e) => e.action.startsWith('auth.')),
    ).toBe(true);
    await t.call('POST', '/v1/auth/email/admin/users', {
      email: 'reader@example.com',
      password: 'Audit-Passw0rd-9!',
    });
    const reader = await t.gw.auth!.mintToken({ subject: 'reader@example.com', session: true });
    expect(
      (await t.call('GET', '/api/logs/audit-trails', undefined, { authorization: `Bearer ${reader}` }))
        .status,
    ).toBe(403);
  });
});

describe('input validation', () => {
  it('refuses a tool whose input schema does not compile (422) and validates call arguments against it', async () => {
    const broken = await t.call('POST', '/v1/tools', {
      name: 'broken_schema',
      url: 'https://api.example.com/b',
      input_schema: { type: 'object', properties: { n: { type: 'numbr' } } },
    });
    expect(broken.status).toBe(422);
    expect(broken.body.error).toMatchObject({ code: 'SCHEMA_INVALID', field: 'input_schema' });
    const tool = {
      name: 'weather',
      input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    };
    expect(() => t.gw.auth!.assertToolArguments(tool, { city: 'Oslo' })).not.toThrow();
    expect(() => t.gw.auth!.assertToolArguments(tool, { city: 7 })).toThrow(
      /arguments\.city: must be string/,
    );
    expect(() => t.gw.auth!.assertToolArguments(tool, {})).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED', field: 'arguments.city' }),
    );
  });
});
