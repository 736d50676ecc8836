import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewayError } from '../src/errors.js';
import { type TestGateway, testGateway } from './gateway-helpers.js';

let t: TestGateway;
beforeAll(async () => {
  t = await testGateway('sqlite', {
    MAX_BODY_SIZE: '65536',
    WELL_KNOWN_SECURITY_TXT: 'Contact: mailto:security@example.com',
  });
});
afterAll(async () => t.close());

const json = (status: number, body: unknown) => ({ status, body });
const errorOf = (r: { body: { error?: { code: string; field?: string; message: string } } }) => r.body.error!;

describe('REST API: tools', () => {
  let id: string;
  it('POST /v1/tools creates a tool (201) and GET returns it', async () => {
    const created = await t.call('POST', '/v1/tools', {
      name: 'api_tool',
      url: 'https://example.com/t',
      input_schema: { type: 'object', properties: { q: { type: 'string' } } },
      annotations: { readOnlyHint: true },
    });
    expect(created.status).toBe(201);
    id = created.body.id;
    expect((await t.call('GET', `/v1/tools/${id}`)).body).toMatchObject({
      name: 'api_tool',
      annotations: { readOnlyHint: true },
    });
  });
  it('rejects unknown fields with 400 naming the field', async () => {
    const r = await t.call('POST', '/v1/tools', { name: 'x', url: 'https://example.com', colour: 'red' });
    expect(r.status).toBe(400);
    expect(errorOf(r)).toMatchObject({ code: 'VALIDATION_FAILED', field: 'colour' });
    expect(errorOf(r).message).toContain("unknown field 'colour'");
  });
  it('rejects wrong types, bad URLs and non-object input schemas with 400 naming the field', async () => {
    expect(errorOf(await t.call('POST', '/v1/tools', { name: 5 })).field).toBe('name');
    expect(errorOf(await t.call('POST', '/v1/tools', { name: 'u', url: 'ftp://example.com' })).field).toBe(
      'url',
    );
    expect(
      errorOf(await t.call('POST', '/v1/tools', { name: 'u', url: 'https://user:pw@example.com' })).field,
    ).toBe('url');
    expect(
      errorOf(
        await t.call('POST', '/v1/tools', {
          name: 'u',
          url: 'https://e.com',
          input_schema: { type: 'string' },
        }),
      ).field,
    ).toBe('input_schema');
    expect(
      errorOf(
        await t.call('POST', '/v1/tools', {
          name: 'u',
          integration_type: 'REST',
          request_type: 'SSE',
          url: 'https://e.com',
        }),
      ).field,
    ).toBe('request_type');
  });
  it('answers 409 for a duplicate name, 404 for a missing tool, 422 for a missing gateway', async () => {
    expect((await t.call('POST', '/v1/tools', { name: 'api_tool', url: 'https://example.com' })).status).toBe(
      409,
    );
    expect((await t.call('GET', '/v1/tools/nope')).status).toBe(404);
    expect((await t.call('PUT', '/v1/tools/nope', { title: 'x' })).status).toBe(404);
    expect((await t.call('DELETE', '/v1/tools/nope')).status).toBe(404);
    const r = await t.call('POST', '/v1/tools', { name: 'g', gateway_id: 'missing' });
    expect(json(r.status, errorOf(r).field)).toEqual(json(422, 'gateway_id'));
  });
  it('PUT updates and bumps version; POST /state toggles enabled; disabled tools leave default lists', async () => {
    const r = await t.call('PUT', `/v1/tools/${id}`, { title: 'API tool' });
    expect(r.body).toMatchObject({ title: 'API tool', version: 2 });
    expect((await t.call('POST', `/v1/tools/${id}/state?activate=false`)).body).toMatchObject({
      enabled: false,
      version: 3,
    });
    expect((await t.call('GET', '/v1/tools')).body.map((x: { id: string }) => x.id)).not.toContain(id);
    expect(
      (await t.call('GET', '/v1/tools?include_inactive=true')).body.map((x: { id: string }) => x.id),
    ).toContain(id);
    expect((await t.call('POST', `/v1/tools/${id}/state?activate=maybe`)).status).toBe(400);
    expect((await t.call('POST', `/v1/tools/${id}/state?activate=true`)).body.enabled).toBe(true);
  });
  it('DELETE removes the tool', async () => {
    expect((await t.call('DELETE', `/v1/tools/${id}`)).body).toEqual({
      status: 'success',
      message: `tool ${id} deleted`,
      id,
    });
    expect((await t.call('GET', `/v1/tools/${id}`)).status).toBe(404);
  });
});

describe('REST API: pagination and filters', () => {
  it('pages with limit and an opaque cursor (X-Next-Cursor, or include_pagination envelope)', async () => {
    for (let i = 0; i < 5; i += 1)
      await t.call('POST', '/v1/tools', {
        name: `page_${i}`,
        url: 'https://example.com',
        tags: i < 2 ? ['first'] : [],
      });
    const p1 = await t.call('GET', '/v1/tools?limit=2&tags=first,none');
    expect(p1.body.map((x: { name: string }) => x.name)).toEqual(['page_0', 'page_1']);
    const a = await t.call('GET', '/v1/tools?limit=3&include_pagination=true');
    expect(a.body.tools).toHaveLength(3);
    expect(a.headers.get('x-next-cursor')).toBe(a.body.next_cursor);
    const b = await t.call('GET', `/v1/tools?limit=3&include_pagination=true&cursor=${a.body.next_cursor}`);
    expect(b.body.tools.map((x: { name: string }) => x.name)).toEqual(['page_3', 'page_4']);
    expect(b.body.next_cursor).toBeNull();
  });
  it('rejects a forged cursor, a limit over the maximum and unknown query parameters with 400', async () => {
    expect(errorOf(await t.call('GET', '/v1/tools?cursor=abc')).field).toBe('cursor');
    expect(errorOf(await t.call('GET', '/v1/tools?limit=501')).field).toBe('limit');
    expect(errorOf(await t.call('GET', '/v1/tools?colour=red')).field).toBe('colour');
  });
});

describe('REST API: gateways, resources, prompts, servers, roots, tags', () => {
  it('manages a gateway with masked credentials', async () => {
    const g = await t.call('POST', '/v1/gateways', {
      name: 'Upstream',
      url: 'https://up.example.com/mcp',
      transport: 'STREAMABLEHTTP',
      auth_type: 'authheaders',
      auth_headers: [{ key: 'X-Key', value: 'k1' }],
    });
    expect(g.status).toBe(201);
    expect(g.body).toMatchObject({
      slug: 'upstream',
      auth_headers: [{ key: 'X-Key', value: '*****' }],
      reachable: false,
    });
    expect(JSON.stringify(g.body)).not.toContain('k1');
    expect((await t.call('GET', `/v1/gateways/${g.body.id}`)).status).toBe(200);
    expect((await t.call('GET', '/v1/gateways')).body).toHaveLength(1);
    expect((await t.call('PUT', `/v1/gateways/${g.body.id}`, { description: 'd' })).body.version).toBe(2);
    expect(
      (await t.call('POST', '/v1/gateways', { name: 'upstream!', url: 'https://x.example.com' })).status,
    ).toBe(409);
    expect((await t.call('POST', `/v1/gateways/${g.body.id}/state?activate=false`)).body.enabled).toBe(false);
    expect((await t.call('DELETE', `/v1/gateways/${g.body.id}`)).status).toBe(200);
    expect((await t.call('GET', `/v1/gateways/${g.body.id}`)).status).toBe(404);
  });
  it('manages resources: read with content, info without, 413 over the size limit', async () => {
    const r = await t.call('POST', '/v1/resources', {
      uri: 'docs://guide',
      name: 'guide',
      content: 'Read me',
    });
    expect(r.status).toBe(201);
    expect((await t.call('GET', `/v1/resources/${r.body.id}`)).body.content).toEqual({
      uri: 'docs://guide',
      mime_type: 'text/plain',
      text: 'Read me',
    });
    expect((await t.call('GET', `/v1/resources/${r.body.id}/info`)).body).not.toHaveProperty('content');
    expect((await t.call('PUT', `/v1/resources/${r.body.id}`, { content: 'Updated' })).body.size).toBe(7);
    expect((await t.call('POST', `/v1/resources/${r.body.id}/state?activate=false`)).body.enabled).toBe(
      false,
    );
    const big = await t.call('POST', '/v1/resources', {
      uri: 'docs://big',
      name: 'big',
      content: 'x'.repeat(150 * 1024),
    });
    expect(json(big.status, errorOf(big).field)).toEqual(json(413, 'content'));
    expect((await t.call('POST', '/v1/resources', { uri: 'not a uri', name: 'n' })).status).toBe(400);
    expect((await t.call('POST', '/v1/resources', { uri: 'docs://guide', name: 'dup' })).status).toBe(409);
    expect((await t.call('GET', '/v1/resources?include_inactive=true')).body).toHaveLength(1);
    expect((await t.call('DELETE', `/v1/resources/${r.body.id}`)).status).toBe(200);
  });
  it('manages prompts and renders them; render errors are 4xx', async () => {
    const p = await t.call('POST', '/v1/prompts', {
      name: 'hello',
      template: 'Hello {{ name }}',
      arguments: [{ name: 'name', required: true }],
    });
    expect(p.status).toBe(201);
    expect(
      (await t.call('POST', `/v1/prompts/${p.body.id}`, { name: 'Ada' })).body.messages[0].content.text,
    ).toBe('Hello Ada');
    expect(errorOf(await t.call('POST', `/v1/prompts/${p.body.id}`, {})).field).toBe('name');
    expect((await t.call('POST', `/v1/prompts/${p.body.id}`, { name: 1 })).status).toBe(400);
    expect((await t.call('GET', `/v1/prompts/${p.body.id}`)).body.template).toBe('Hello {{ name }}');
    expect(
      (await t.call('PUT', `/v1/prompts/${p.body.id}`, { template: 'Hi {{ name }}' })).body.version,
    ).toBe(2);
    expect(
      (await t.call('POST', '/v1/prompts', { name: 'big', template: 'x'.repeat(11 * 1024) })).status,
    ).toBe(413);
    expect((await t.call('POST', '/v1/prompts', { name: 'bad', template: '{{ unclosed' })).status).toBe(422);
    expect((await t.call('POST', `/v1/prompts/${p.body.id}/state?activate=false`)).body.enabled).toBe(false);
    expect((await t.call('POST', `/v1/prompts/${p.body.id}`, { name: 'Ada' })).status).toBe(422);
    expect((await t.call('GET', '/v1/prompts')).body).toHaveLength(0);
    expect((await t.call('DELETE', `/v1/prompts/${p.body.id}`)).status).toBe(200);
  });
  it('manages virtual servers and lists their members', async () => {
    const tool = await t.call('POST', '/v1/tools', { name: 'member', url: 'https://example.com' });
    const res = await t.call('POST', '/v1/resources', { uri: 'docs://m', name: 'm' });
    const pr = await t.call('POST', '/v1/prompts', { name: 'mp', template: 'x' });
    const s = await t.call('POST', '/v1/servers', {
      id: 'team-tools',
      name: 'Team tools',
      icon: 'https://example.com/i.png',
      associated_tools: [{ id: tool.body.id, alias: 'm1' }],
      associated_resources: [res.body.id],
      associated_prompts: ['mp'],
    });
    expect(s.status).toBe(201);
    expect((await t.call('GET', '/v1/servers/team-tools/tools')).body[0]).toMatchObject({
      id: tool.body.id,
      alias: 'm1',
      exposed_name: 'm1',
    });
    expect((await t.call('GET', '/v1/servers/team-tools/resources')).body[0].id).toBe(res.body.id);
    expect((await t.call('GET', '/v1/servers/team-tools/prompts')).body[0].id).toBe(pr.body.id);
    const missing = await t.call('POST', '/v1/servers', { name: 'x', associated_tools: ['ghost'] });
    expect(json(missing.status, errorOf(missing).field)).toEqual(json(422, 'associated_tools.0'));
    expect((await t.call('POST', '/v1/servers', { name: 'Team tools' })).status).toBe(409);
    expect((await t.call('PUT', '/v1/servers/team-tools', { associated_prompts: [] })).body).toMatchObject({
      associated_prompts: [],
      version: 2,
    });
    expect((await t.call('POST', '/v1/servers/team-tools/state?activate=false')).body.enabled).toBe(false);
    expect((await t.call('GET', '/v1/servers')).body).toHaveLength(0);
    expect((await t.call('GET', '/v1/servers/team-tools/tools?bogus=1')).status).toBe(400);
    expect((await t.call('DELETE', '/v1/servers/team-tools')).status).toBe(200);
    expect((await t.call('GET', '/v1/servers/team-tools/tools')).status).toBe(404);
  });
  it('manages roots by id or URL-encoded URI', async () => {
    const r = await t.call('POST', '/v1/roots', { uri: 'file:///home/ada/project', name: 'project' });
    expect(r.status).toBe(201);
    const key = encodeURIComponent('file:///home/ada/project');
    expect((await t.call('GET', `/v1/roots/${key}`)).body.id).toBe(r.body.id);
    expect((await t.call('PUT', `/v1/roots/${r.body.id}`, { name: 'renamed' })).body.name).toBe('renamed');
    expect((await t.call('GET', '/v1/roots')).body).toHaveLength(1);
    expect((await t.call('POST', '/v1/roots', { uri: 'file:///home/ada/project' })).status).toBe(409);
    expect((await t.call('DELETE', `/v1/roots/${key}`)).status).toBe(200);
    expect((await t.call('GET', `/v1/roots/${key}`)).status).toBe(404);
  });
  it('lists tags with counts and the entities carrying one', async () => {
    await t.call('POST', '/v1/tools', { name: 'tagged', url: 'https://example.com', tags: ['Finance'] });
    await t.call('POST', '/v1/servers', { name: 'tagged-server', tags: ['finance'] });
    const tags = await t.call('GET', '/v1/tags?entity_types=tools,servers&include_entities=true');
    expect(tags.body.find((x: { name: string }) => x.name === 'finance')).toMatchObject({
      stats: { tools: 1, servers: 1, total: 2 },
    });
    expect((await t.call('GET', '/v1/tags/finance/entities?entity_types=servers')).body).toEqual([
      expect.objectContaining({ name: 'tagged-server', type: 'server' }),
    ]);
    expect((await t.call('GET', '/v1/tags?entity_types=widgets')).status).toBe(400);
  });
});

describe('REST API: bodies and errors', () => {
  it('answers 413 for a body over MAX_BODY_SIZE, 400 for invalid JSON, 415 for a form body', async () => {
    const big = await t.call('POST', '/v1/tools', {
      name: 'big',
      url: 'https://example.com',
      description: 'x'.repeat(70_000),
    });
    expect(big.status).toBe(413);
    expect(errorOf(big).code).toBe('PAYLOAD_TOO_LARGE');
    expect(errorOf(await t.call('POST', '/v1/tools', '{"name":')).code).toBe('BAD_REQUEST');
    expect(
      (await t.call('POST', '/v1/tools', 'name=x', { 'content-type': 'application/x-www-form-urlencoded' }))
        .status,
    ).toBe(415);
  });
  it('answers unknown paths with a JSON 404 and echoes a request id', async () => {
    const r = await t.call('GET', '/v1/nothing-here', undefined, { 'x-request-id': 'abc-123' });
    expect(r.status).toBe(404);
    expect(errorOf(r).code).toBe('NOT_FOUND');
    expect(r.headers.get('x-request-id')).toBe('abc-123');
  });
  it('asks the authorize hook with the route permission before anything else', async () => {
    const seen: string[] = [];
    t.gw.hooks.authorize = (_c, permission) => {
      seen.push(permission);
      if (permission === 'tools.delete') {
        throw new GatewayError('FORBIDDEN', 'not allowed');
      }
    };
    try {
      await t.call('GET', '/v1/tools');
      const denied = await t.call('DELETE', '/v1/tools/whatever');
      expect(denied.status).toBe(403);
      expect(seen).toEqual(['tools.read', 'tools.delete']);
    } finally {
      t.gw.hooks.authorize = () => undefined;
    }
  });
});

describe('legacy unversioned routes', () => {
  it('are off by default and, when enabled, answer like /v1 with deprecation headers', async () => {
    expect((await t.call('GET', '/tools')).status).toBe(404);
    const legacy = await testGateway('sqlite', {
      LEGACY_API_ENABLED: 'true',
      LEGACY_API_SUNSET_DATE: '2027-01-31',
    });
    try {
      const created = await legacy.call('POST', '/tools', { name: 'old_style', url: 'https://example.com' });
      expect(created.status).toBe(201);
      expect(created.headers.get('deprecation')).toBe('true');
      expect(created.headers.get('sunset')).toBe('Sun, 31 Jan 2027 00:00:00 GMT');
      expect(created.headers.get('link')).toBe('</v1/tools>; rel="successor-version"');
      expect((await legacy.call('GET', `/v1/tools/${created.body.id}`)).body.name).toBe('old_style');
      expect((await legacy.call('GET', '/tools/missing')).headers.get('deprecation')).toBe('true');
      expect(Object.keys((await legacy.call('GET', '/openapi.json')).body.paths)).not.toContain('/tools');
    } finally {
      await legacy.close();
    }
  });
});

describe('operational endpoints', () => {
  it('serves /health, /ready, /version, /metrics, /openapi.json and well-known files', async () => {
    expect((await t.call('GET', '/health')).body).toEqual({ status: 'healthy', database: 'ok' });
    expect((await t.call('GET', '/ready')).body).toEqual({
      status: 'ready',
      checks: { database: 'ok', cache: 'ok', migrations: 'ok' },
    });
    expect((await t.call('GET', '/version')).body).toMatchObject({ database: 'sqlite', cache: 'memory' });
    const metrics = await t.call('GET', '/metrics');
    expect(metrics.body).toContain('http_requests_total{method="GET",route="/v1/tools"');
    expect(metrics.body).not.toContain('/v1/tools/nope');
    const openapi = (await t.call('GET', '/openapi.json')).body;
    expect(openapi.openapi).toBe('3.1.0');
    expect(
      openapi.paths['/v1/tools/{id}'].put.requestBody.content['application/json'].schema.properties,
    ).toHaveProperty('input_schema');
    expect(openapi.paths['/v1/servers'].post['x-permission']).toBe('servers.create');
    expect((await t.call('GET', '/.well-known/mcp')).body.endpoints.rest).toBe('/v1');
    expect((await t.call('GET', '/.well-known/robots.txt')).body).toContain('Disallow: /');
    const security = (await t.call('GET', '/.well-known/security.txt')).body as string;
    expect(security).toMatch(/^Contact: mailto:security@example.com\nExpires: \d{4}-/);
  });
});

describe('export and import over HTTP', () => {
  it('round-trips the registry into an empty gateway, with a dry run first', async () => {
    const exported = await t.call('GET', '/v1/export');
    expect(exported.body.version).toBe(1);
    expect((await t.call('GET', '/v1/export?types=tools,widgets')).status).toBe(400);
    const target = await testGateway('sqlite');
    try {
      const dry = await target.call('POST', '/v1/import?dry_run=true&conflict_strategy=fail', exported.body);
      expect(dry.status).toBe(200);
      expect(dry.body.dry_run).toBe(true);
      expect((await target.call('GET', '/v1/tools?include_inactive=true')).body).toHaveLength(0);
      const real = await target.call('POST', '/v1/import', {
        import_data: exported.body,
        conflict_strategy: 'fail',
      });
      expect(real.body.counts.created).toBe(dry.body.counts.created);
      const again = await target.call('GET', '/v1/export');
      const strip = (b: { entities: Record<string, unknown[]> }) => JSON.stringify(b.entities);
      expect(strip(again.body)).toBe(strip(exported.body));
      const conflicting = await target.call('POST', '/v1/import?conflict_strategy=fail', exported.body);
      expect(conflicting.status).toBe(409);
      const bad = await target.call('POST', '/v1/import', { version: 2, entities: {} });
      expect(json(bad.status, errorOf(bad).field)).toEqual(json(400, 'version'));
    } finally {
      await target.close();
    }
  });
  it('refuses secrets encrypted under another key unless rekey_secret is given', async () => {
    await t.call('POST', '/v1/gateways', {
      name: 'secretive',
      url: 'https://s.example.com/mcp',
      auth_type: 'bearer',
      auth_token: 'tok',
    });
    const bundle = (await t.call('GET', '/v1/export?types=gateways')).body;
    const other = await testGateway('sqlite', {
      AUTH_ENCRYPTION_SECRET: 'another-secret-another-secret-another-1',
    });
    try {
      const refused = await other.call('POST', '/v1/import', bundle);
      expect(json(refused.status, errorOf(refused).field)).toEqual(
        json(422, 'entities.gateways.0.auth_value'),
      );
      const ok = await other.call('POST', '/v1/import', {
        import_data: bundle,
        rekey_secret: 'test-secret-test-secret-test-secret-0123',
      });
      expect(ok.status).toBe(200);
      const id = ok.body.actions[0].id;
      expect(await other.gw.services.gateways.credentials(id)).toEqual({ type: 'bearer', token: 'tok' });
    } finally {
      await other.close();
    }
  });
});
