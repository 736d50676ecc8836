// Deny by default: every mounted route declares a permission or is explicitly public, the public ones are
// exactly the ones that must be (health, readiness, documentation, well-known files, login and OAuth/SSO
// callbacks), every declared permission is a known one, and a route without either is refused at start.
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SELF_PERMISSION } from '../../src/auth/authz/request-authorizer.js';
import { DEFAULT_HOOKS } from '../../src/http/hooks.js';
import { mountRoutes } from '../../src/http/mount-routes.js';
import { defineRoute } from '../../src/http/route-def.js';
import { isKnownPermission } from '../../src/security/rbac/permissions.js';
import { type TestGateway, testGateway } from '../gateway-helpers.js';

let t: TestGateway;
beforeAll(async () => {
  t = await testGateway('sqlite', { SSO_ENABLED: 'true', PUBLIC_REGISTRATION_ENABLED: 'true' });
});
afterAll(() => t.close());

const EXPECTED_PUBLIC = [
  'GET /.well-known/mcp',
  'GET /.well-known/oauth-protected-resource',
  'GET /.well-known/oauth-protected-resource/mcp',
  'GET /.well-known/oauth-protected-resource/servers/{id}/mcp',
  'GET /.well-known/robots.txt',
  'GET /health',
  'GET /oauth/callback',
  'GET /openapi.json',
  'GET /ready',
  'GET /servers/{id}/.well-known/oauth-protected-resource',
  'GET /v1/auth/sso/callback/{provider}',
  'GET /v1/auth/sso/login/{provider}',
  'GET /v1/auth/sso/providers',
  'POST /v1/auth/email/login',
  'POST /v1/auth/email/register',
  'POST /v1/auth/login',
];

describe('the route table', () => {
  it('gives every route a known permission or an explicit public marker, and nothing else is public', () => {
    const problems: string[] = [];
    const publics: string[] = [];
    for (const r of t.gw.routes) {
      const name = `${r.method} ${r.path}`;
      if (r.permission === null) {
        if (r.public === true) publics.push(name);
        else problems.push(`${name}: no permission and not public`);
      } else if (r.public) {
        problems.push(`${name}: public but declares '${r.permission}'`);
      } else if (r.permission !== SELF_PERMISSION && !isKnownPermission(r.permission)) {
        problems.push(`${name}: unknown permission '${r.permission}'`);
      }
    }
    expect(problems).toEqual([]);
    expect(publics.sort()).toEqual(EXPECTED_PUBLIC);
    // The layer's own routes are all there (a sample of each area).
    const names = new Set(t.gw.routes.map((r) => `${r.method} ${r.path}`));
    for (const n of [
      'POST /v1/tokens',
      'DELETE /v1/tokens/{id}',
      'POST /v1/teams/{id}/invitations',
      'POST /v1/rbac/roles',
      'GET /api/logs/audit-trails',
      'GET /oauth/authorize/{gateway_id}',
      'POST /v1/auth/sso/admin/providers',
    ])
      expect(names.has(n), n).toBe(true);
  });

  it('refuses, at mount time, a route that declares no permission and is not public', () => {
    const open = defineRoute({
      method: 'GET',
      path: '/v1/forgotten',
      permission: null,
      tag: 'Test',
      summary: 'a route someone forgot to protect',
      handler: async () => ({ body: {} }),
    });
    expect(() => mountRoutes(new Hono(), [open], { hooks: DEFAULT_HOOKS, maxBodySize: 1024 })).toThrow(
      /GET \/v1\/forgotten declares no permission and is not marked public/,
    );
  });

  it('lists each route’s permission in the OpenAPI document', async () => {
    const doc = (await t.call('GET', '/openapi.json')).body as {
      paths: Record<string, Record<string, { 'x-permission'?: string }>>;
    };
    expect(doc.paths['/v1/tokens']?.post?.['x-permission']).toBe('tokens.create');
    expect(doc.paths['/v1/rbac/roles']?.get?.['x-permission']).toBe('admin.user_management');
  });
});
