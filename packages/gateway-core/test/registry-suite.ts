import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import type { DialectKind } from '../src/db/database-url.js';
import { GatewayError } from '../src/errors.js';
import type { Actor } from '../src/registry/common/actor.js';
import { syncDiscovered } from '../src/registry/gateways/gateway-sync.js';
import { type TestGateway, testGateway } from './gateway-helpers.js';

const actor: Actor = { user: 'ada@example.com', via: 'test' };
const TABLES = [
  'server_tools',
  'server_resources',
  'server_prompts',
  'servers',
  'tools',
  'resources',
  'prompts',
  'gateways',
  'roots',
] as const;

async function expectError(promise: Promise<unknown>, code: string, field?: string): Promise<GatewayError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GatewayError);
  const ge = error as GatewayError;
  expect(ge.code).toBe(code);
  if (field !== undefined) expect(ge.field).toBe(field);
  return ge;
}

/**
 * The repository/service suite. Registered once per dialect; every test starts from empty tables in a
 * database created for this run.
 */
export function registrySuite(kind: DialectKind): void {
  let t: TestGateway;
  beforeAll(async () => {
    t = await testGateway(kind, { REGISTRY_CACHE_TTL: '60' });
  });
  afterAll(async () => t?.close());
  beforeEach(async () => {
    for (const table of TABLES) await t.gw.database.db.deleteFrom(table).execute();
    await t.gw.cache.deletePrefix('');
  });
  const s = () => t.gw.services;

  it('creates, reads, updates (bumping version) and deletes a tool', async () => {
    const tool = await s().tools.create(
      { name: 'get_weather', url: 'https://example.com/w', tags: ['Weather', 'demo'] },
      actor,
    );
    expect(tool).toMatchObject({
      name: 'get_weather',
      integration_type: 'REST',
      request_type: 'POST',
      version: 1,
      tags: ['weather', 'demo'],
      created_by: actor.user,
      enabled: true,
    });
    expect(tool.id).toMatch(/^[0-9a-f]{32}$/);
    const updated = await s().tools.update(
      tool.id,
      { description: 'Current weather', custom_name: 'weather_now' },
      actor,
    );
    expect(updated).toMatchObject({
      version: 2,
      name: 'weather_now',
      original_name: 'get_weather',
      description: 'Current weather',
    });
    expect(await s().tools.get(tool.id)).toMatchObject({ name: 'weather_now', version: 2 });
    expect(await s().tools.findByName('get_weather')).toBeUndefined();
    await s().tools.delete(tool.id);
    await expectError(s().tools.get(tool.id), 'NOT_FOUND');
  });

  it('rejects duplicate tool names and names breaking the MCP rule', async () => {
    await s().tools.create({ name: 'dup', url: 'https://example.com' }, actor);
    await expectError(
      s().tools.create({ name: 'dup', url: 'https://example.com' }, actor),
      'CONFLICT',
      'name',
    );
    await expectError(
      s().tools.create({ name: 'has space', url: 'https://example.com' }, actor),
      'VALIDATION_FAILED',
      'name',
    );
    await expectError(
      s().tools.create({ name: 'x'.repeat(129), url: 'https://example.com' }, actor),
      'VALIDATION_FAILED',
      'name',
    );
    await expectError(s().tools.create({ name: 'rest_without_url' }, actor), 'VALIDATION_FAILED', 'url');
  });

  it('prefixes a gateway tool with the gateway slug and re-prefixes it when the gateway is renamed', async () => {
    const gw = await s().gateways.create(
      { name: 'Git Hub', url: 'https://mcp.example.com/mcp', transport: 'STREAMABLEHTTP' },
      actor,
    );
    expect(gw.slug).toBe('git-hub');
    const tool = await s().tools.create({ name: 'search', gateway_id: gw.id }, actor);
    expect(tool).toMatchObject({ name: 'git-hub-search', integration_type: 'MCP', gateway_id: gw.id });
    await s().tools.create({ name: 'code-search', url: 'https://example.com' }, actor);
    await expectError(s().gateways.update(gw.id, { name: 'Code' }, actor), 'CONFLICT', 'name');
    expect((await s().tools.get(tool.id)).name).toBe('git-hub-search');
    await s().gateways.update(gw.id, { name: 'GitLab' }, actor);
    expect((await s().tools.get(tool.id)).name).toBe('gitlab-search');
    expect(await s().tools.findByName('gitlab-search')).toMatchObject({ id: tool.id });
  });

  it('keeps upstream names for a gateway with prefix_names off, and renames when the option changes', async () => {
    const gw = await s().gateways.create(
      { name: 'Plain', url: 'https://plain.example.com/mcp', prefix_names: false },
      actor,
    );
    expect(gw.prefix_names).toBe(false);
    await syncDiscovered(
      t.gw.context,
      gw.id,
      { tools: [{ name: 'echo' }], prompts: [{ name: 'greet' }] },
      actor,
    );
    expect(await s().tools.findByName('echo')).toMatchObject({ original_name: 'echo', gateway_id: gw.id });
    expect(await s().prompts.findByName('greet')).toMatchObject({ gateway_id: gw.id });
    const tool = (await s().tools.findByName('echo'))!;
    await s().tools.update(tool.id, { name: 'echo2' }, actor);
    expect((await s().tools.get(tool.id)).name).toBe('echo2');

    await s().gateways.update(gw.id, { prefix_names: true }, actor);
    expect((await s().tools.get(tool.id)).name).toBe('plain-echo2');
    expect(await s().prompts.findByName('plain-greet')).toBeDefined();
    // A later discovery keeps the local rename.
    await syncDiscovered(t.gw.context, gw.id, { tools: [{ name: 'echo', description: 'x' }] }, actor);
    expect((await s().tools.get(tool.id)).name).toBe('plain-echo2');

    await s().tools.create({ name: 'echo2', url: 'https://example.com/e' }, actor);
    const error = await expectError(s().gateways.update(gw.id, { prefix_names: false }, actor), 'CONFLICT');
    expect(error.message).toContain("rename tool 'plain-echo2' to 'echo2'");
    expect((await s().gateways.get(gw.id)).prefix_names).toBe(true);
  });

  it('refers to a missing gateway with a 422-class error naming gateway_id', async () => {
    await expectError(
      s().tools.create({ name: 'orphan', gateway_id: 'nope' }, actor),
      'UNPROCESSABLE',
      'gateway_id',
    );
  });

  it('stores gateway credentials encrypted, masks them, and keeps them when the mask is sent back', async () => {
    const gw = await s().gateways.create(
      { name: 'secured', url: 'https://x.example.com/sse', auth_type: 'bearer', auth_token: 's3cret-token' },
      actor,
    );
    expect(gw).toMatchObject({ auth_type: 'bearer', auth_token: '*****' });
    const raw = await t.gw.database.db
      .selectFrom('gateways')
      .select('auth_value')
      .where('id', '=', gw.id)
      .executeTakeFirstOrThrow();
    expect(raw.auth_value).toMatch(/^v1:/);
    expect(raw.auth_value).not.toContain('s3cret');
    await s().gateways.update(
      gw.id,
      { auth_type: 'bearer', auth_token: '*****', description: 'kept' },
      actor,
    );
    expect(await s().gateways.credentials(gw.id)).toEqual({ type: 'bearer', token: 's3cret-token' });
    await expectError(
      s().gateways.create(
        { name: 'b', url: 'https://y.example.com', auth_type: 'basic', auth_username: 'u' },
        actor,
      ),
      'VALIDATION_FAILED',
      'auth_password',
    );
  });

  it('validates transports: STDIO needs a command, WEBSOCKET a ws URL, REVERSEPROXY neither', async () => {
    const stdio = await s().gateways.create(
      { name: 'local', transport: 'STDIO', command: 'npx', args: ['-y', 'server-everything'] },
      actor,
    );
    expect(stdio).toMatchObject({
      transport: 'STDIO',
      command: 'npx',
      args: ['-y', 'server-everything'],
      url: null,
    });
    await expectError(
      s().gateways.create({ name: 'bad', transport: 'STDIO' }, actor),
      'VALIDATION_FAILED',
      'command',
    );
    await expectError(
      s().gateways.create({ name: 'ws', transport: 'WEBSOCKET', url: 'https://x.example.com' }, actor),
      'VALIDATION_FAILED',
      'url',
    );
    // Tunnel-backed gateways (created by reverse-proxy registrations) store without a URL or command.
    const tunnel = await s().gateways.create({ name: 'tunnel', transport: 'REVERSEPROXY' }, actor);
    expect(await s().gateways.get(tunnel.id)).toMatchObject({ transport: 'REVERSEPROXY', url: null });
    await expectError(
      s().gateways.update(tunnel.id, { url: 'https://x.example.com/mcp' }, actor),
      'VALIDATION_FAILED',
      'url',
    );
  });

  it('records health: failures count up and mark the gateway unreachable at the threshold', async () => {
    const gw = await s().gateways.create({ name: 'health', url: 'https://h.example.com/mcp' }, actor);
    let h = await s().gateways.markHealth(gw.id, { reachable: true }, 2);
    expect(h).toMatchObject({ reachable: true, consecutive_failures: 0 });
    expect(h.last_seen).not.toBeNull();
    h = await s().gateways.markHealth(gw.id, { reachable: false, error: 'timeout' }, 2);
    expect(h).toMatchObject({ reachable: true, consecutive_failures: 1, last_error: 'timeout' });
    h = await s().gateways.markHealth(gw.id, { reachable: false, error: 'timeout' }, 2);
    expect(h).toMatchObject({ reachable: false, consecutive_failures: 2 });
  });

  it('syncs discovered tools, resources and prompts in one transaction', async () => {
    const gw = await s().gateways.create({ name: 'up', url: 'https://up.example.com/mcp' }, actor);
    const first = await syncDiscovered(
      t.gw.context,
      gw.id,
      {
        tools: [{ name: 'echo', input_schema: { type: 'object' } }, { name: 'add numbers' }],
        resources: [{ uri: 'file:///a.txt', name: 'a' }],
        prompts: [{ name: 'greet', arguments: [{ name: 'who', required: true }] }],
        capabilities: { tools: { listChanged: true } },
      },
      actor,
    );
    expect(first).toEqual({
      tools: { created: 2, updated: 0, removed: 0 },
      resources: { created: 1, updated: 0, removed: 0 },
      prompts: { created: 1, updated: 0, removed: 0 },
    });
    expect(await s().tools.findByName('up-add_numbers')).toMatchObject({
      original_name: 'add numbers',
      gateway_id: gw.id,
    });
    const second = await syncDiscovered(
      t.gw.context,
      gw.id,
      { tools: [{ name: 'echo', description: 'now described' }] },
      actor,
    );
    expect(second.tools).toEqual({ created: 0, updated: 1, removed: 1 });
    expect((await s().tools.findByName('up-echo'))?.description).toBe('now described');
    await s().tools.create({ name: 'up-clash', url: 'https://example.com' }, actor);
    const error = await expectError(
      syncDiscovered(t.gw.context, gw.id, { tools: [{ name: 'echo' }, { name: 'clash' }] }, actor),
      'CONFLICT',
    );
    expect(error.message).toContain("tool 'up-clash' already exists");
    expect((await s().gateways.get(gw.id)).capabilities).toEqual({ tools: { listChanged: true } });
  });

  it('groups members in a virtual server with aliases unique inside it', async () => {
    const a = await s().tools.create({ name: 'alpha', url: 'https://example.com/a' }, actor);
    const b = await s().tools.create({ name: 'beta', url: 'https://example.com/b' }, actor);
    const r = await s().resources.create({ uri: 'docs://one', name: 'one', content: 'hello' }, actor);
    const p = await s().prompts.create({ name: 'hi', template: 'Hi {{ who }}' }, actor);
    const server = await s().servers.create(
      {
        id: 'my-server',
        name: 'Mine',
        associated_tools: [{ id: a.id, alias: 'first' }, 'beta'],
        associated_resources: ['docs://one'],
        associated_prompts: [p.id],
      },
      actor,
    );
    expect(server).toMatchObject({
      id: 'my-server',
      associated_tools: [a.id, b.id],
      associated_tool_aliases: { [a.id]: 'first' },
      associated_resources: [r.id],
      associated_prompts: [p.id],
    });
    const tools = await s().servers.tools('my-server');
    expect(tools.map((x) => x.exposed_name)).toEqual(['first', 'beta']);
    await expectError(
      s().servers.update('my-server', { associated_tools: [{ id: a.id, alias: 'beta' }, b.id] }, actor),
      'CONFLICT',
      'associated_tools.1',
    );
    await expectError(
      s().servers.update('my-server', { associated_tools: [a.id, a.id] }, actor),
      'VALIDATION_FAILED',
      'associated_tools.1',
    );
    await expectError(
      s().servers.update('my-server', { associated_prompts: ['missing'] }, actor),
      'UNPROCESSABLE',
      'associated_prompts.0',
    );
    await s().tools.delete(b.id);
    expect((await s().servers.get('my-server')).associated_tools).toEqual([a.id]);
    await expectError(s().servers.create({ id: 'my-server', name: 'Other' }, actor), 'CONFLICT', 'id');
  });

  it('paginates deterministically by name then id, filtering tags, enabled, team and visibility', async () => {
    for (let i = 0; i < 7; i += 1) {
      await s().tools.create(
        {
          name: `t${i}`,
          url: 'https://example.com',
          tags: i % 2 ? ['odd'] : ['even'],
          team_id: i < 3 ? 'team-a' : null,
          visibility: i === 6 ? 'private' : 'public',
          enabled: i !== 5,
        },
        actor,
      );
    }
    const names: string[] = [];
    let after: { key: string; id: string } | undefined;
    for (;;) {
      const page = await s().tools.list({ limit: 2, includeInactive: true, ...(after ? { after } : {}) });
      names.push(...page.items.map((x) => x.name));
      if (!page.nextCursor) break;
      const [key, id] = JSON.parse(Buffer.from(page.nextCursor, 'base64url').toString()) as [string, string];
      after = { key, id };
    }
    expect(names).toEqual(['t0', 't1', 't2', 't3', 't4', 't5', 't6']);
    expect(
      (await s().tools.list({ limit: 50, includeInactive: false })).items.map((x) => x.name),
    ).not.toContain('t5');
    expect(
      (await s().tools.list({ limit: 50, includeInactive: true, tags: ['odd'] })).items.map((x) => x.name),
    ).toEqual(['t1', 't3', 't5']);
    expect((await s().tools.list({ limit: 50, includeInactive: true, teamId: 'team-a' })).items).toHaveLength(
      3,
    );
    expect(
      (await s().tools.list({ limit: 50, includeInactive: true, visibility: 'private' })).items.map(
        (x) => x.name,
      ),
    ).toEqual(['t6']);
  });

  it('restricts lists to what a caller may see when visibleTo is set', async () => {
    await s().tools.create({ name: 'pub', url: 'https://example.com' }, actor);
    await s().tools.create(
      { name: 'team_a', url: 'https://example.com', visibility: 'team', team_id: 'a' },
      actor,
    );
    await s().tools.create(
      { name: 'team_b', url: 'https://example.com', visibility: 'team', team_id: 'b' },
      actor,
    );
    await s().tools.create(
      { name: 'mine', url: 'https://example.com', visibility: 'private', owner_email: 'me@example.com' },
      actor,
    );
    await s().tools.create(
      { name: 'theirs', url: 'https://example.com', visibility: 'private', owner_email: 'x@example.com' },
      actor,
    );
    const seen = async (email: string | null, teams: string[]) =>
      (await s().tools.list({ limit: 50, includeInactive: true, visibleTo: { email, teams } })).items.map(
        (x) => x.name,
      );
    expect(await seen('me@example.com', ['a'])).toEqual(['mine', 'pub', 'team_a']);
    expect(await seen(null, [])).toEqual(['pub']);
  });

  it('matches tags exactly even when they contain LIKE wildcards', async () => {
    await s().tools.create({ name: 'u1', url: 'https://example.com', tags: ['a_b'] }, actor);
    await s().tools.create({ name: 'u2', url: 'https://example.com', tags: ['axb'] }, actor);
    expect(
      (await s().tools.list({ limit: 50, includeInactive: true, tags: ['a_b'] })).items.map((x) => x.name),
    ).toEqual(['u1']);
    expect((await s().tags.entities('a_b')).map((e) => e.name)).toEqual(['u1']);
  });

  it('stores text and binary resources within the size limit and templates without content', async () => {
    const text = await s().resources.create(
      { uri: 'file:///notes.md', name: 'notes', content: '# Notes' },
      actor,
    );
    expect(text).toMatchObject({ mime_type: 'text/plain', size: 7, uri_template: null });
    const bin = await s().resources.create(
      {
        uri: 'file:///logo.png',
        name: 'logo',
        blob: Buffer.from([0, 1, 2, 255]).toString('base64'),
        mime_type: 'image/png',
      },
      actor,
    );
    expect((await s().resources.read(bin.id)).content).toEqual({
      uri: 'file:///logo.png',
      mime_type: 'image/png',
      blob: 'AAEC/w==',
    });
    const tpl = await s().resources.create({ uri_template: 'file:///logs/{date}.txt', name: 'logs' }, actor);
    expect(tpl).toMatchObject({
      uri: 'file:///logs/{date}.txt',
      uri_template: 'file:///logs/{date}.txt',
      size: null,
    });
    await expectError(
      s().resources.create({ uri: 'file:///big', name: 'big', content: 'x'.repeat(200 * 1024) }, actor),
      'PAYLOAD_TOO_LARGE',
      'content',
    );
    await expectError(
      s().resources.create({ uri: 'file:///notes.md', name: 'again' }, actor),
      'CONFLICT',
      'uri',
    );
  });

  it('renders prompts with declared or derived arguments', async () => {
    const p = await s().prompts.create(
      {
        name: 'summary',
        template: '{% for item in items.split(",") %}- {{ item }} ({{ style }})\n{% endfor %}',
      },
      actor,
    );
    expect(p.arguments).toEqual([
      { name: 'items', required: true },
      { name: 'style', required: true },
    ]);
    const out = await s().prompts.render(p.id, { items: 'a,b', style: 'short' });
    expect(out.messages[0]?.content.text).toBe('- a (short)\n- b (short)\n');
    await expectError(s().prompts.render(p.id, { items: 'a' }), 'UNPROCESSABLE', 'style');
    await expectError(
      s().prompts.render(p.id, { items: 'a', style: 's', extra: 'x' }),
      'VALIDATION_FAILED',
      'extra',
    );
    await expectError(
      s().prompts.create({ name: 'broken', template: '{% if %}' }, actor),
      'UNPROCESSABLE',
      'template',
    );
    await expectError(
      s().prompts.create(
        { name: 'evil', template: '{{ "".constructor.constructor("return process")() }}' },
        actor,
      ),
      'UNPROCESSABLE',
      'template',
    );
  });

  it('caches reads and drops the cached copy on every write', async () => {
    const tool = await s().tools.create({ name: 'cached', url: 'https://example.com' }, actor);
    await s().tools.get(tool.id);
    expect(await t.gw.cache.get(`tool:id:${tool.id}`)).toMatchObject({ name: 'cached' });
    // A change behind the service's back is not seen while cached …
    await t.gw.database.db
      .updateTable('tools')
      .set({ description: 'sneaky' })
      .where('id', '=', tool.id)
      .execute();
    expect((await s().tools.get(tool.id)).description).toBeNull();
    // … and a write through the service invalidates.
    await s().tools.update(tool.id, { title: 'Cached' }, actor);
    expect(await s().tools.get(tool.id)).toMatchObject({ description: 'sneaky', title: 'Cached' });
  });

  it("caches a server's member lists and refreshes them when a member changes or leaves", async () => {
    const tool = await s().tools.create({ name: 'member_tool', url: 'https://example.com' }, actor);
    const other = await s().tools.create({ name: 'other_tool', url: 'https://example.com' }, actor);
    await s().servers.create(
      { id: 'cached-server', name: 'cached', associated_tools: [tool.id, other.id] },
      actor,
    );
    expect((await s().servers.tools('cached-server')).map((x) => x.name)).toEqual([
      'member_tool',
      'other_tool',
    ]);
    expect(await t.gw.cache.get('server:tools:cached-server:enabled')).toHaveLength(2);
    await s().tools.update(tool.id, { custom_name: 'renamed_tool' }, actor);
    expect((await s().servers.tools('cached-server')).map((x) => x.name)).toEqual([
      'renamed_tool',
      'other_tool',
    ]);
    await s().tools.setEnabled(other.id, false, actor);
    expect((await s().servers.tools('cached-server')).map((x) => x.name)).toEqual(['renamed_tool']);
    expect((await s().servers.tools('cached-server', true)).map((x) => x.name)).toEqual([
      'renamed_tool',
      'other_tool',
    ]);
    await s().tools.delete(tool.id);
    expect((await s().servers.tools('cached-server', true)).map((x) => x.name)).toEqual(['other_tool']);
    await s().servers.update('cached-server', { associated_tools: [{ id: other.id, alias: 'o' }] }, actor);
    expect((await s().servers.tools('cached-server', true))[0]?.exposed_name).toBe('o');
  });

  it('exports and imports everything, round-tripping into an empty database', async () => {
    const gw = await s().gateways.create(
      {
        name: 'src',
        url: 'https://src.example.com/mcp',
        auth_type: 'basic',
        auth_username: 'u',
        auth_password: 'p',
      },
      actor,
    );
    const tool = await s().tools.create({ name: 'tool', gateway_id: gw.id, tags: ['x'] }, actor);
    await s().resources.create({ uri: 'docs://r', name: 'r', content: 'text' }, actor);
    await s().prompts.create({ name: 'p', template: 'Hello {{ name }}' }, actor);
    await s().servers.create(
      {
        name: 'srv',
        associated_tools: [{ id: tool.id, alias: 'aliased' }],
        associated_resources: ['docs://r'],
        associated_prompts: ['p'],
      },
      actor,
    );
    await s().roots.create({ uri: 'file:///workspace', name: 'ws' });
    const { exportBundle } = await import('../src/registry/transfer/export-service.js');
    const { importBundle } = await import('../src/registry/transfer/import-service.js');
    const bundle = await exportBundle(t.gw.context);
    for (const table of TABLES) await t.gw.database.db.deleteFrom(table).execute();
    await t.gw.cache.deletePrefix('');
    const dry = await importBundle(
      t.gw.context,
      s(),
      bundle,
      { conflict_strategy: 'fail', dry_run: true },
      actor,
    );
    expect(dry.counts).toEqual({ created: 6, updated: 0, skipped: 0, renamed: 0 });
    expect((await s().tools.list({ limit: 10, includeInactive: true })).items).toHaveLength(0);
    const real = await importBundle(
      t.gw.context,
      s(),
      bundle,
      { conflict_strategy: 'fail', dry_run: false },
      actor,
    );
    expect(real.counts.created).toBe(6);
    expect(await s().gateways.credentials(gw.id)).toEqual({ type: 'basic', username: 'u', password: 'p' });
    expect(
      (
        await s().servers.tools((await s().servers.list({ limit: 5, includeInactive: true })).items[0]!.id)
      ).map((x) => x.exposed_name),
    ).toEqual(['aliased']);
    const again = await importBundle(
      t.gw.context,
      s(),
      bundle,
      { conflict_strategy: 'rename', dry_run: false },
      actor,
    );
    // The gateway is renamed; its tool follows it (new prefix), the others are renamed or skipped (URIs).
    expect(again.counts).toEqual({ created: 1, updated: 0, renamed: 3, skipped: 2 });
    expect(await s().tools.findByName('src-imported-tool')).toBeDefined();
    await expectError(
      importBundle(t.gw.context, s(), bundle, { conflict_strategy: 'fail', dry_run: false }, actor),
      'CONFLICT',
      'entities.gateways.0',
    );
  });

  it('writes nothing when an import fails half way', async () => {
    const bundle = {
      version: 1 as const,
      entities: {
        tools: [{ name: 'ok_tool', url: 'https://example.com' }],
        servers: [{ name: 'broken', associated_tools: [{ name: 'does_not_exist' }] }],
      },
    };
    const { importBundle } = await import('../src/registry/transfer/import-service.js');
    await expectError(
      importBundle(t.gw.context, s(), bundle, { conflict_strategy: 'update', dry_run: false }, actor),
      'UNPROCESSABLE',
      'entities.servers.0.associated_tools.0',
    );
    expect(await s().tools.findByName('ok_tool')).toBeUndefined();
  });
}
