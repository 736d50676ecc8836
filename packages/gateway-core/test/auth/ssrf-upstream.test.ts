// SSRF protection of upstream and REST URLs (at registration and at connect time, redirects included) and
// the credentials the gateway sends upstream: static headers, bearer, basic, custom headers, query-param
// keys (opt-in, allowlisted), header passthrough by allowlist, and never the caller's own token.

import { lookup } from 'node:dns/promises';
import { hostname } from 'node:os';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../src/security/authn/principal.js';
import { createUpstreamPool } from '../../src/upstream/index.js';
import { type TestGateway, testGateway } from '../gateway-helpers.js';
import { startServer, type TestServer } from '../helpers/http-server.js';

let strict: TestGateway;
let upstream: TestServer;

beforeAll(async () => {
  strict = await testGateway('sqlite');
  upstream = await startServer((req, res) => {
    if (req.url?.startsWith('/redirect-to-metadata')) {
      res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' });
      res.end();
      return;
    }
    if (req.url?.startsWith('/redirect-to-loopback')) {
      res.writeHead(302, { location: `http://[::1]:${upstream.port}/` });
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ headers: req.headers, url: req.url }));
  });
});
afterAll(async () => {
  await strict.close();
  await upstream.close();
});

const gatewayBody = (url: string) => ({
  name: `gw-${Math.random().toString(36).slice(2, 8)}`,
  url,
  transport: 'STREAMABLEHTTP',
});

describe('SSRF protection (defaults: only public addresses)', () => {
  it.each([
    ['http://127.0.0.1:8080/mcp', 'loopback'],
    ['http://localhost/mcp', 'loopback'],
    ['http://127.1/mcp', 'loopback'],
    ['http://2130706433/mcp', 'loopback'],
    ['http://0x7f000001/mcp', 'loopback'],
    ['http://[::1]/mcp', 'loopback'],
    ['http://[::ffff:127.0.0.1]/mcp', 'loopback'],
    ['http://169.254.169.254/latest/meta-data/', 'metadata'],
    ['http://metadata.google.internal/computeMetadata/v1/', 'metadata'],
    ['http://[fd00:ec2::254]/', 'metadata'],
    ['http://10.0.0.5/mcp', 'private'],
    ['http://192.168.1.10/mcp', 'private'],
  ])('refuses a gateway at %s with 400 naming the url (%s)', async (url, reason) => {
    const r = await strict.call('POST', '/v1/gateways', gatewayBody(url));
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: 'URL_NOT_ALLOWED', field: 'url', details: { reason } });
  });

  it('refuses a DNS name that resolves to a private or loopback address', async (ctx) => {
    const name = hostname();
    const addresses = await lookup(name, { all: true }).catch(() => []);
    if (
      addresses.length === 0 ||
      addresses.every(
        (a) => !/^(127\.|10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|::1$|fe80:|fd)/.test(a.address),
      )
    ) {
      ctx.skip(`host name '${name}' does not resolve to a private address here`);
    }
    const r = await strict.call('POST', '/v1/gateways', gatewayBody(`http://${name}:9/mcp`));
    expect(r.status).toBe(400);
    expect(r.body.error.message).toContain(`${name} resolves to`);
  });

  it('checks REST tool URLs and OAuth endpoints the same way, on create and on update', async () => {
    const tool = await strict.call('POST', '/v1/tools', {
      name: 'ssrf_tool',
      url: 'http://169.254.169.254/x',
    });
    expect(tool.status).toBe(400);
    const ok = await strict.call('POST', '/v1/tools', { name: 'ok_tool', url: 'https://api.example.com/x' });
    expect(ok.status).toBe(201);
    const upd = await strict.call('PUT', `/v1/tools/${ok.body.id}`, { url: 'http://[::1]/x' });
    expect(upd.status).toBe(400);
    const oauth = await strict.call('POST', '/v1/gateways', {
      ...gatewayBody('https://upstream.example.com/mcp'),
      auth_type: 'oauth',
      oauth_config: { grant_type: 'client_credentials', client_id: 'x', token_url: 'http://127.0.0.1/token' },
    });
    expect(oauth.status).toBe(400);
    expect(oauth.body.error.field).toBe('oauth_config.token_url');
  });

  it('checks every outbound connection: the safe fetch and the upstream dispatcher refuse loopback', async () => {
    await expect(strict.gw.auth!.safeFetch(`${upstream.url}/`)).rejects.toMatchObject({
      code: 'URL_NOT_ALLOWED',
    });
    await expect(request(`${upstream.url}/`, { dispatcher: strict.gw.auth!.ssrfDispatcher })).rejects.toThrow(
      /not allowed/,
    );
    // The upstream pool connects through the same check (createUpstreamPool({ connect: auth.ssrfConnector })).
    const pool = createUpstreamPool({
      connect: strict.gw.auth!.ssrfConnector,
      retries: 0,
      health: { intervalMs: 0 },
    });
    try {
      const connect = pool
        .get({ id: 'loop', name: 'loop', transport: 'streamable-http', url: `${upstream.url}/mcp` })
        .then((client) => client.discover());
      await expect(connect).rejects.toThrow(/URL_NOT_ALLOWED: url: destination 127\.0\.0\.1 \(loopback\)/);
    } finally {
      await pool.close();
    }
  });
});

describe('with SSRF_ALLOW_LOCALHOST (as the tests’ upstreams need)', () => {
  let open: TestGateway;
  beforeAll(async () => {
    open = await testGateway('sqlite', { SSRF_ALLOW_LOCALHOST: 'true' });
  });
  afterAll(() => open.close());

  it('allows loopback upstreams but still refuses metadata addresses and redirects to them', async () => {
    expect((await open.call('POST', '/v1/gateways', gatewayBody(`${upstream.url}/mcp`))).status).toBe(201);
    expect((await open.call('POST', '/v1/gateways', gatewayBody('http://169.254.169.254/'))).status).toBe(
      400,
    );
    const ok = await open.gw.auth!.safeFetch(`${upstream.url}/plain`);
    expect(ok.status).toBe(200);
    await expect(open.gw.auth!.safeFetch(`${upstream.url}/redirect-to-metadata`)).rejects.toMatchObject({
      code: 'URL_NOT_ALLOWED',
      details: { reason: 'metadata' },
    });
  });

  it('re-checks redirect targets against the policy', async () => {
    const narrow = await testGateway('sqlite', { SSRF_ALLOWED_NETWORKS: '127.0.0.1/32' });
    try {
      expect((await narrow.gw.auth!.safeFetch(`${upstream.url}/plain`)).status).toBe(200);
      await expect(narrow.gw.auth!.safeFetch(`${upstream.url}/redirect-to-loopback`)).rejects.toMatchObject({
        code: 'URL_NOT_ALLOWED',
      });
    } finally {
      await narrow.close();
    }
  });
});

describe('upstream credentials', () => {
  let t: TestGateway;
  let user: Principal;
  beforeAll(async () => {
    t = await testGateway('sqlite', {
      SSRF_ALLOW_LOCALHOST: 'true',
      ENABLE_HEADER_PASSTHROUGH: 'true',
      DEFAULT_PASSTHROUGH_HEADERS: 'X-Tenant-Id',
      INSECURE_ALLOW_QUERYPARAM_AUTH: 'true',
      INSECURE_QUERYPARAM_AUTH_ALLOWED_HOSTS: 'api.partner.example',
    });
    const token = await t.gw.auth!.mintToken({ subject: 'admin@example.com', session: true });
    user = await t.gw.auth!.authenticateNode(
      { authorization: `Bearer ${token}`, host: 'localhost' },
      '127.0.0.1',
    );
  });
  afterAll(() => t.close());

  const make = async (extra: Record<string, unknown>) => {
    const r = await t.call('POST', '/v1/gateways', { ...gatewayBody(`${upstream.url}/mcp`), ...extra });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body.id as string;
  };

  it('sends stored bearer, basic and custom-header credentials, and static headers', async () => {
    const bearerId = await make({
      auth_type: 'bearer',
      auth_token: 'up-token',
      headers: { 'X-Static': 's' },
    });
    expect((await t.gw.auth!.upstreamAuth(bearerId, user)).headers).toEqual({
      'X-Static': 's',
      Authorization: 'Bearer up-token',
    });
    const basicId = await make({ auth_type: 'basic', auth_username: 'u', auth_password: 'p' });
    expect((await t.gw.auth!.upstreamAuth(basicId, user)).headers.Authorization).toBe(
      `Basic ${Buffer.from('u:p').toString('base64')}`,
    );
    const custom = await make({
      auth_type: 'authheaders',
      auth_headers: [{ key: 'X-Api-Key', value: 'k1' }],
    });
    expect((await t.gw.auth!.upstreamAuth(custom, user)).headers['X-Api-Key']).toBe('k1');
  });

  it('passes allow-listed client headers, maps names, turns X-Upstream-Authorization into Authorization, never forwards the caller’s own token', async () => {
    const id = await make({ passthrough_headers: ['X-Request-Source', 'X-Client-Region:X-Region'] });
    const incoming = new Headers({
      authorization: 'Bearer caller-token',
      cookie: 'jwt_token=secret',
      'x-tenant-id': 't1',
      'x-request-source': 'agent',
      'x-client-region': 'eu',
      'x-not-listed': 'no',
      'x-upstream-authorization': 'Bearer for-upstream',
    });
    const auth = await t.gw.auth!.upstreamAuth(id, user, incoming);
    expect(auth.headers).toEqual({
      'X-Tenant-Id': 't1',
      'X-Request-Source': 'agent',
      'X-Region': 'eu',
      Authorization: 'Bearer for-upstream',
    });
    // Stored credentials win over anything a client sends.
    const bearerId = await make({
      auth_type: 'bearer',
      auth_token: 'stored',
      passthrough_headers: ['Authorization', 'Cookie'],
    });
    expect((await t.gw.auth!.upstreamAuth(bearerId, user, incoming)).headers.Authorization).toBe(
      'Bearer stored',
    );
    expect((await t.gw.auth!.upstreamAuth(bearerId, user, incoming)).headers.Cookie).toBeUndefined();
  });

  it('puts a query-parameter key only on allow-listed hosts, and only when enabled', async () => {
    const refused = await t.call('POST', '/v1/gateways', {
      ...gatewayBody(`${upstream.url}/mcp`),
      auth_type: 'query_param',
      auth_query_param_key: 'api_key',
      auth_query_param_value: 'secret-key',
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toContain('INSECURE_QUERYPARAM_AUTH_ALLOWED_HOSTS');
    const allowed = await t.call('POST', '/v1/gateways', {
      ...gatewayBody('https://api.partner.example/mcp'),
      auth_type: 'query_param',
      auth_query_param_key: 'api_key',
      auth_query_param_value: 'secret-key',
    });
    expect(allowed.status).toBe(201);
    expect(allowed.body.auth_query_param_value).toBe('*****');
    expect((await t.gw.auth!.upstreamAuth(allowed.body.id, user)).url).toBe(
      'https://api.partner.example/mcp?api_key=secret-key',
    );
    const off = await testGateway('sqlite');
    try {
      const r = await off.call('POST', '/v1/gateways', {
        ...gatewayBody('https://api.partner.example/mcp'),
        auth_type: 'query_param',
        auth_query_param_key: 'api_key',
        auth_query_param_value: 'k',
      });
      expect(r.status).toBe(403);
      expect(r.body.error.message).toContain('INSECURE_ALLOW_QUERYPARAM_AUTH');
    } finally {
      await off.close();
    }
  });
});
