// Visibility (what a caller sees) and team-scoped RBAC (what they may do) for users of different teams,
// through the REST registries and through MCP tools/list and tools/call on the gateway's own MCP endpoints
// (`gw.listen()`: the engine, the invoke pipeline and the security layer), whose REST tools call a real
// local HTTP target.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/http/serve-app.js';
import { type TestGateway, testGateway } from '../gateway-helpers.js';
import { startServer, type TestServer } from '../helpers/http-server.js';

let t: TestGateway;
/** The REST tools' target: answers `{"tool": <path>}` and records every path it was called on. */
let target: TestServer;
const reached: string[] = [];
const tokens: Record<string, string> = {};
let teamA: string;
const ids: Record<string, string> = {};

const as = (who: string) => ({ authorization: `Bearer ${tokens[who]}` });
const names = (list: Array<{ name: string }>) => list.map((x) => x.name).sort();

beforeAll(async () => {
  target = await startServer((req, res) => {
    reached.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ tool: req.url }));
  });
  t = await testGateway('sqlite', { DEFAULT_USER_ROLE: 'none', SSRF_ALLOW_LOCALHOST: 'true' });
  for (const who of ['ann', 'ben', 'cat']) {
    const r = await t.call('POST', '/v1/auth/email/admin/users', {
      email: `${who}@example.com`,
      password: 'Visible-Passw0rd!',
    });
    expect(r.status).toBe(201);
    tokens[who] = await t.gw.auth!.mintToken({ subject: `${who}@example.com`, session: true });
  }
  // ann creates team A (owner: team_admin there) and her entities.
  const team = await t.call('POST', '/v1/teams', { name: 'Team A' }, as('ann'));
  expect(team.status).toBe(201);
  teamA = team.body.id;
  const tool = async (name: string, extra: Record<string, unknown>) => {
    const r = await t.call(
      'POST',
      '/v1/tools',
      { name, url: `${target.url}/${name}`, tags: ['vis'], ...extra },
      as('ann'),
    );
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body;
  };
  ids.pub = (await tool('ann_public', { visibility: 'public', team_id: teamA })).id;
  ids.team = (await tool('ann_team', { visibility: 'team', team_id: teamA })).id;
  const own = await tool('ann_private', { visibility: 'private' });
  ids.own = own.id;
  // A create without team_id lands in the creator's personal team, owned by them.
  const personal = (await t.call('GET', '/v1/teams', undefined, as('ann'))).body.teams.find(
    (x: { is_personal: boolean }) => x.is_personal,
  );
  expect(own).toMatchObject({ team_id: personal.id, owner_email: 'ann@example.com' });
  const server = await t.call(
    'POST',
    '/v1/servers',
    {
      id: 'mixed',
      name: 'Mixed',
      associated_tools: [ids.pub, ids.team],
      visibility: 'public',
      team_id: teamA,
    },
    as('ann'),
  );
  expect(server.status).toBe(201);
});
afterAll(async () => {
  await t.close();
  await target.close();
});

describe('REST visibility and team-scoped permissions', () => {
  it('shows each user public entities, their teams’ entities and their own', async () => {
    expect(names((await t.call('GET', '/v1/tools', undefined, as('ann'))).body)).toEqual([
      'ann_private',
      'ann_public',
      'ann_team',
    ]);
    expect(names((await t.call('GET', '/v1/tools', undefined, as('ben'))).body)).toEqual(['ann_public']);
    expect(names((await t.call('GET', '/v1/tools')).body)).toEqual(['ann_private', 'ann_public', 'ann_team']); // admin
  });

  it('answers 404 for entities the caller cannot see, and 403 for visible ones they may not change', async () => {
    expect((await t.call('GET', `/v1/tools/${ids.team}`, undefined, as('ben'))).status).toBe(404);
    expect((await t.call('GET', `/v1/tools/${ids.own}`, undefined, as('ben'))).status).toBe(404);
    expect((await t.call('DELETE', `/v1/tools/${ids.own}`, undefined, as('ben'))).status).toBe(404);
    const upd = await t.call('PUT', `/v1/tools/${ids.pub}`, { title: 'mine now' }, as('ben'));
    expect(upd.status).toBe(403);
  });

  it('lets a new member see the team’s entities, and change them only with a role that allows it', async () => {
    const wrongTeam = await t.call(
      'POST',
      '/v1/tools',
      { name: 'ben_tool', url: `${target.url}/ben_tool`, team_id: teamA },
      as('ben'),
    );
    expect(wrongTeam.status).toBe(403);
    expect(wrongTeam.body.error.field).toBe('team_id');
    expect(
      (await t.call('POST', `/v1/teams/${teamA}/members`, { email: 'ben@example.com' }, as('ann'))).status,
    ).toBe(201);
    // Role and team changes take effect at once (no waiting for a cache).
    expect(names((await t.call('GET', '/v1/tools', undefined, as('ben'))).body)).toEqual([
      'ann_public',
      'ann_team',
    ]);
    expect((await t.call('PUT', `/v1/tools/${ids.team}`, { title: 'x' }, as('ben'))).status).toBe(403);
    expect(
      (
        await t.call(
          'POST',
          '/v1/tools',
          { name: 'ben_tool', url: `${target.url}/ben_tool`, team_id: teamA },
          as('ben'),
        )
      ).status,
    ).toBe(403);
    expect(
      (
        await t.call('POST', `/v1/rbac/users/ben@example.com/roles`, {
          role_id: 'developer',
          scope: 'team',
          scope_id: teamA,
        })
      ).status,
    ).toBe(201);
    expect((await t.call('PUT', `/v1/tools/${ids.team}`, { title: 'by ben' }, as('ben'))).status).toBe(200);
    expect(
      (
        await t.call(
          'POST',
          '/v1/tools',
          { name: 'ben_tool', url: `${target.url}/ben_tool`, team_id: teamA },
          as('ben'),
        )
      ).status,
    ).toBe(201);
    // ...but still not ann's private tool, nor give a tool to someone else.
    expect((await t.call('PUT', `/v1/tools/${ids.own}`, { title: 'x' }, as('ben'))).status).toBe(404);
    const gift = await t.call(
      'POST',
      '/v1/tools',
      { name: 'gift', url: `${target.url}/gift`, owner_email: 'cat@example.com' },
      as('ben'),
    );
    expect(gift.status).toBe(403);
    expect(gift.body.error.field).toBe('owner_email');
  });

  it('refuses to bundle entities the caller cannot see into a virtual server, as if they did not exist', async () => {
    const r = await t.call('POST', '/v1/servers', { name: 'Sneaky', associated_tools: [ids.own] }, as('cat'));
    expect(r.status).toBe(422);
    expect(r.body.error).toMatchObject({ field: 'associated_tools.0' });
    expect(r.body.error.message).toContain('does not exist');
  });

  it('filters member lists and tags by visibility too', async () => {
    const members = await t.call('GET', '/v1/servers/mixed/tools', undefined, as('cat'));
    expect(members.status).toBe(200);
    expect(names(members.body)).toEqual(['ann_public']);
    // No built-in role but platform_admin reads tags: give cat a custom global role that does.
    expect(
      (
        await t.call('POST', '/v1/rbac/roles', {
          name: 'tag_reader',
          scope: 'global',
          permissions: ['tags.read'],
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await t.call('POST', '/v1/rbac/users/cat@example.com/roles', {
          role_id: 'tag_reader',
          scope: 'global',
        })
      ).status,
    ).toBe(201);
    const tags = await t.call('GET', '/v1/tags?include_entities=true', undefined, as('cat'));
    expect(
      tags.body.find((x: { name: string }) => x.name === 'vis').entities.map((e: { name: string }) => e.name),
    ).toEqual(['ann_public']);
  });

  it('refuses STDIO gateways to non-admins (they run commands on the gateway host)', async () => {
    const r = await t.call(
      'POST',
      '/v1/gateways',
      { name: 'local', transport: 'STDIO', command: 'sh' },
      as('ann'),
    );
    expect(r.status).toBe(403);
    expect(r.body.error.field).toBe('transport');
  });
});

describe('MCP endpoints of the gateway', () => {
  let mcp: RunningServer;
  beforeAll(async () => {
    mcp = await t.gw.listen(0, '127.0.0.1');
  });

  const rpc = async (
    path: string,
    method: string,
    params: Record<string, unknown>,
    headers: Record<string, string>,
  ) => {
    const res = await fetch(`${mcp.url}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-protocol-version': '2026-07-28',
        'mcp-method': method,
        ...(params.name ? { 'mcp-name': params.name as string } : {}),
        ...headers,
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method,
        params: {
          ...params,
          _meta: {
            'io.modelcontextprotocol/protocolVersion': '2026-07-28',
            'io.modelcontextprotocol/clientInfo': { name: 't', version: '1' },
            'io.modelcontextprotocol/clientCapabilities': {},
          },
        },
      }),
    });
    return {
      status: res.status,
      headers: res.headers,
      body: (await res.json().catch(() => undefined)) as {
        result?: { tools?: Array<{ name: string }>; content?: Array<{ text: string }> };
        error?: { code: number; message: string };
      },
    };
  };

  it('lists only the tools each caller may see (tools/list)', async () => {
    const list = async (who: string) =>
      ((await rpc('/mcp', 'tools/list', {}, as(who))).body.result?.tools ?? []).map((x) => x.name).sort();
    expect(await list('ann')).toEqual(['ann_private', 'ann_public', 'ann_team', 'ben_tool']);
    expect(await list('ben')).toEqual(['ann_public', 'ann_team', 'ben_tool']);
    expect(await list('cat')).toEqual(['ann_public', 'ben_tool']); // ben_tool is public (the default)
    const scoped = await rpc('/servers/mixed/mcp', 'tools/list', {}, as('cat'));
    expect(scoped.body.result?.tools?.map((x) => x.name)).toEqual(['ann_public']);
  });

  it('calls visible tools and refuses the others like unknown ones', async () => {
    reached.length = 0;
    const ok = await rpc('/mcp', 'tools/call', { name: 'ann_public', arguments: {} }, as('cat'));
    expect(ok.body.result?.content?.[0]?.text).toBe('{"tool":"/ann_public"}');
    const hidden = await rpc('/mcp', 'tools/call', { name: 'ann_team', arguments: {} }, as('cat'));
    expect(hidden.body.error?.message).toBe('Unknown tool: ann_team');
    // …exactly as a tool that does not exist (same code, same wording): nothing to probe.
    const missing = await rpc('/mcp', 'tools/call', { name: 'no_such_tool', arguments: {} }, as('cat'));
    expect(missing.body.error).toEqual({
      code: hidden.body.error?.code,
      message: 'Unknown tool: no_such_tool',
    });
    expect(hidden.body.error?.code).toBe(-32602);
    // Inside a virtual server too: the member cat may not see answers like a tool that is not there.
    const scoped = await rpc(
      '/servers/mixed/mcp',
      'tools/call',
      { name: 'ann_team', arguments: {} },
      as('cat'),
    );
    expect(scoped.body.error?.message).toBe('Unknown tool: ann_team');
    // Only the visible tool's target was called.
    expect(reached).toEqual(['/ann_public']);
  });

  it('answers 401 with an RFC 9728 challenge naming the endpoint’s metadata, for missing and bad credentials', async () => {
    for (const headers of [{}, { authorization: 'Bearer not.a.token' }] as Array<Record<string, string>>) {
      const r = await rpc('/servers/mixed/mcp', 'tools/list', {}, headers);
      expect(r.status).toBe(401);
      expect(r.headers.get('www-authenticate')).toMatch(
        /^Bearer resource_metadata="http:\/\/127\.0\.0\.1:\d+\/\.well-known\/oauth-protected-resource\/servers\/mixed\/mcp", scope="mcp:read"/,
      );
    }
    // Session cookies are not credentials on MCP endpoints.
    const cookie = await rpc('/mcp', 'tools/list', {}, { cookie: `jwt_token=${tokens.ann}` });
    expect(cookie.status).toBe(401);
  });

  it('keeps API tokens inside their server scope', async () => {
    const made = await t.call(
      'POST',
      '/v1/tokens',
      { name: 'mixed-only', scope: { server_id: 'mixed' } },
      as('ann'),
    );
    const token = made.body.access_token as string;
    const inScope = await rpc('/servers/mixed/mcp', 'tools/list', {}, { authorization: `Bearer ${token}` });
    expect(inScope.body.result?.tools?.length).toBe(2);
    // The all-servers endpoint would reach every server: refused to a server-scoped token.
    const outside = await rpc(
      '/mcp',
      'tools/call',
      { name: 'ann_public', arguments: {} },
      { authorization: `Bearer ${token}` },
    );
    expect(outside.body.error?.message).toContain("token scope is limited to servers 'mixed'");
    const other = await t.call(
      'POST',
      '/v1/servers',
      { id: 'other', name: 'Other', associated_tools: [ids.pub], visibility: 'public' },
      as('ann'),
    );
    expect(other.status).toBe(201);
    const denied = await rpc('/servers/other/mcp', 'tools/list', {}, { authorization: `Bearer ${token}` });
    expect(denied.body.error?.message).toContain("token scope does not include server 'other'");
    const rest = await t.call('GET', '/v1/servers/other', undefined, { authorization: `Bearer ${token}` });
    expect(rest.status).toBe(403);
    expect(
      (await t.call('GET', '/v1/servers/mixed', undefined, { authorization: `Bearer ${token}` })).status,
    ).toBe(200);
  });
});
