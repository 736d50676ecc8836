// Route × role matrix, generated from the gateway's own route table (so a new route is covered the day it
// is added): every REST and admin route is called as platform_admin, team_admin, developer, viewer,
// platform_viewer and anonymous, and the answer must match the built-in role definitions — allowed roles
// never get 401/403, others get 403, anonymous callers get 401 with an RFC 9728 challenge.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SELF_PERMISSION } from '../../src/auth/authz/request-authorizer.js';
import type { RouteDef } from '../../src/http/route-def.js';
import { BUILTIN_ROLES } from '../../src/security/rbac/builtin-roles.js';
import { type TestGateway, testGateway } from '../gateway-helpers.js';
import { startServer, type TestServer } from '../helpers/http-server.js';

let t: TestGateway;
/** The REST tools' target (the MCP part calls them for real): records the paths it was called on. */
let target: TestServer;
const reached: string[] = [];
let team: string;
const ids: Record<string, string> = {};

type Role = 'platform_admin' | 'team_admin' | 'developer' | 'viewer' | 'platform_viewer' | 'anonymous';
const ROLES: Role[] = ['platform_admin', 'team_admin', 'developer', 'viewer', 'platform_viewer', 'anonymous'];
const EMAIL: Record<Exclude<Role, 'anonymous'>, string> = {
  platform_admin: 'admin@example.com',
  team_admin: 'lead@example.com',
  developer: 'dev@example.com',
  viewer: 'viewer@example.com',
  platform_viewer: 'auditor@example.com',
};
/** The role sets each test user holds (memberships add the team's member/owner role). */
const HELD: Record<Exclude<Role, 'anonymous' | 'platform_admin'>, string[]> = {
  team_admin: ['team_admin'],
  developer: ['developer', 'viewer'],
  viewer: ['viewer'],
  platform_viewer: ['platform_viewer'],
};

/** The expectation, from the role definitions alone (not from the code under test). */
function allowed(role: Role, route: RouteDef): boolean {
  if (route.public) return true;
  if (role === 'anonymous') return false;
  if (role === 'platform_admin' || route.permission === SELF_PERMISSION) return true;
  return HELD[role].some((r) => BUILTIN_ROLES[r]!.permissions.includes(route.permission!));
}

async function setup(): Promise<void> {
  target = await startServer((req, res) => {
    reached.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  });
  t = await testGateway('sqlite', {
    SSRF_ALLOW_LOCALHOST: 'true',
    AUTO_CREATE_PERSONAL_TEAMS: 'false',
    DEFAULT_USER_ROLE: 'none',
    SSO_ENABLED: 'true',
  });
  const ok = async (method: string, path: string, body?: unknown) => {
    const r = await t.call(method, path, body);
    if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  for (const email of Object.values(EMAIL).slice(1)) {
    await ok('POST', '/v1/auth/email/admin/users', { email, password: 'Matrix-Passw0rd!' });
  }
  team = (await ok('POST', '/v1/teams', { name: 'Matrix team' })).id;
  await ok('POST', `/v1/teams/${team}/members`, { email: EMAIL.team_admin, role: 'owner' });
  await ok('POST', `/v1/teams/${team}/members`, { email: EMAIL.developer, role: 'member' });
  await ok('POST', `/v1/teams/${team}/members`, { email: EMAIL.viewer, role: 'member' });
  await ok('POST', `/v1/rbac/users/${EMAIL.developer}/roles`, {
    role_id: 'developer',
    scope: 'team',
    scope_id: team,
  });
  await ok('POST', `/v1/rbac/users/${EMAIL.platform_viewer}/roles`, {
    role_id: 'platform_viewer',
    scope: 'global',
  });
  const common = { team_id: team, visibility: 'team', tags: ['demo'] };
  ids.tools = (
    await ok('POST', '/v1/tools', { name: 'matrix_tool', url: `${target.url}/matrix_tool`, ...common })
  ).id;
  ids.resources = (
    await ok('POST', '/v1/resources', { uri: 'docs://matrix', name: 'm', content: 'x', ...common })
  ).id;
  ids.prompts = (
    await ok('POST', '/v1/prompts', { name: 'matrix_prompt', template: 'Hi {{ who }}', ...common })
  ).id;
  ids.gateways = (
    await ok('POST', '/v1/gateways', {
      name: 'matrix-gw',
      url: 'https://upstream.example.com/mcp',
      transport: 'STREAMABLEHTTP',
      ...common,
    })
  ).id;
  ids.servers = (
    await ok('POST', '/v1/servers', { name: 'Matrix server', associated_tools: [ids.tools], ...common })
  ).id;
  ids.roots = (await ok('POST', '/v1/roots', { uri: 'file:///matrix', name: 'root' })).id;
}

/** The request a route gets: real targets for reads and updates, missing ones for deletes (nothing is destroyed). */
function requestFor(route: RouteDef): { path: string; body?: unknown } {
  const kind = route.path.split('/')[2] ?? '';
  const destroy = route.method === 'DELETE';
  const value = (name: string): string => {
    if (destroy) return 'does-not-exist';
    switch (name) {
      case 'id':
        return kind === 'teams'
          ? team
          : (ids[kind] ?? (route.path.includes('/servers/') ? ids.servers! : 'does-not-exist'));
      case 'team_id':
        return team;
      case 'gateway_id':
        return ids.gateways!;
      case 'email':
        return EMAIL.viewer;
      case 'key':
        return ids.roots!;
      case 'tag':
        return 'demo';
      case 'token':
        return 'x'.repeat(24);
      default:
        return 'does-not-exist';
    }
  };
  const path = route.path.replace(/\{([A-Za-z_]+)\}/g, (_, name: string) => encodeURIComponent(value(name)));
  return { path, ...(route.method === 'POST' || route.method === 'PUT' ? { body: {} } : {}) };
}

beforeAll(setup, 60_000);
afterAll(async () => {
  await t.close();
  await target.close();
});

describe('route × role matrix (generated from the route table)', () => {
  it('answers every route for every role as the role definitions say', async () => {
    const failures: string[] = [];
    let checked = 0;
    for (const route of t.gw.routes) {
      const req = requestFor(route);
      for (const role of ROLES) {
        // A fresh session token per request: logout and refresh routes revoke the one they are called with.
        const headers: Record<string, string> =
          role === 'anonymous'
            ? { authorization: '' }
            : {
                authorization: `Bearer ${await t.gw.auth!.mintToken({ subject: EMAIL[role], session: true })}`,
              };
        const res = await t.call(route.method, req.path, req.body, headers);
        const expectAllowed = allowed(role, route);
        checked++;
        const tag = `${role.padEnd(15)} ${route.method} ${req.path} (${route.permission ?? 'public'}) → ${res.status}`;
        if (expectAllowed && (res.status === 401 || res.status === 403))
          failures.push(`${tag}: expected allowed`);
        if (!expectAllowed && role === 'anonymous') {
          if (res.status !== 401) failures.push(`${tag}: expected 401`);
          else if (
            !/resource_metadata="[^"]+\/\.well-known\/oauth-protected-resource"/.test(
              res.headers.get('www-authenticate') ?? '',
            )
          )
            failures.push(`${tag}: 401 without an RFC 9728 challenge`);
        }
        if (!expectAllowed && role !== 'anonymous' && res.status !== 403)
          failures.push(`${tag}: expected 403`);
      }
    }
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThan(6 * 90);
  }, 120_000);

  it('spot checks: what each role can and cannot do on the team’s entities', async () => {
    const as = async (role: Exclude<Role, 'anonymous'>, method: string, path: string, body?: unknown) => {
      const token = await t.gw.auth!.mintToken({ subject: EMAIL[role], session: true });
      return (await t.call(method, path, body, { authorization: `Bearer ${token}` })).status;
    };
    expect(await as('viewer', 'GET', `/v1/tools/${ids.tools}`)).toBe(200);
    expect(await as('viewer', 'PUT', `/v1/tools/${ids.tools}`, { title: 'nope' })).toBe(403);
    expect(await as('developer', 'PUT', `/v1/tools/${ids.tools}`, { title: 'yes' })).toBe(200);
    expect(await as('platform_viewer', 'GET', '/v1/tools')).toBe(200);
    // The team's entities are invisible outside the team: as if they did not exist.
    expect(await as('platform_viewer', 'GET', `/v1/tools/${ids.tools}`)).toBe(404);
    expect(await as('platform_viewer', 'POST', `/v1/prompts/${ids.prompts}`, { who: 'x' })).toBe(403);
    expect(await as('team_admin', 'PUT', `/v1/teams/${team}`, { description: 'led' })).toBe(200);
    expect(await as('developer', 'PUT', `/v1/teams/${team}`, { description: 'no' })).toBe(403);
    expect(await as('team_admin', 'GET', '/api/logs/audit-trails')).toBe(403);
    expect(await as('platform_admin', 'GET', '/api/logs/audit-trails')).toBe(200);
  });

  it('answers MCP methods on a team server as the roles allow (servers.use, tools.read, tools.execute)', async () => {
    const mcp = await t.gw.listen(0, '127.0.0.1');
    reached.length = 0;
    try {
      const rpc = async (role: Role, method: string, params: Record<string, unknown>) => {
        const token =
          role === 'anonymous'
            ? undefined
            : await t.gw.auth!.mintToken({ subject: EMAIL[role], session: true });
        const res = await fetch(`${mcp.url}/servers/${ids.servers}/mcp`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            accept: 'application/json, text/event-stream',
            'mcp-protocol-version': '2026-07-28',
            'mcp-method': method,
            ...(params.name ? { 'mcp-name': params.name as string } : {}),
            ...(token ? { authorization: `Bearer ${token}` } : {}),
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
        if (res.status === 401) return 'unauthenticated';
        const body = (await res.json()) as { result?: unknown; error?: { message: string } };
        return body.result ? 'allowed' : body.error?.message.includes('Unknown') ? 'invisible' : 'forbidden';
      };
      // The server and its tool belong to the team: members use them by their team roles; a global
      // platform_viewer does not see them at all; anonymous callers are asked to authenticate.
      const expected: Record<Role, [string, string]> = {
        platform_admin: ['allowed', 'allowed'],
        team_admin: ['allowed', 'allowed'],
        developer: ['allowed', 'allowed'],
        viewer: ['allowed', 'allowed'],
        platform_viewer: ['invisible', 'invisible'],
        anonymous: ['unauthenticated', 'unauthenticated'],
      };
      for (const role of ROLES) {
        const list = await rpc(role, 'tools/list', {});
        const call = await rpc(role, 'tools/call', { name: 'matrix_tool', arguments: {} });
        expect([role, list, call]).toEqual([role, ...expected[role]]);
      }
      // Only the allowed calls reached the tool's endpoint.
      const allowedCalls = ROLES.filter((r) => expected[r][1] === 'allowed').length;
      expect(reached).toEqual(Array(allowedCalls).fill('/matrix_tool'));
      // On a public server with a public tool, a platform_viewer lists (tools.read) but may not call
      // (no tools.execute).
      const tool = await t.call('POST', '/v1/tools', {
        name: 'open_tool',
        url: `${target.url}/open_tool`,
        visibility: 'public',
      });
      const server = await t.call('POST', '/v1/servers', {
        name: 'Open',
        visibility: 'public',
        associated_tools: [tool.body.id],
      });
      ids.servers = server.body.id;
      expect(await rpc('platform_viewer', 'tools/list', {})).toBe('allowed');
      expect(await rpc('platform_viewer', 'tools/call', { name: 'open_tool', arguments: {} })).toBe(
        'forbidden',
      );
      expect(await rpc('viewer', 'tools/call', { name: 'open_tool', arguments: {} })).toBe('allowed');
      expect(reached.slice(allowedCalls)).toEqual(['/open_tool']);
    } finally {
      await mcp.close();
    }
  });
});
