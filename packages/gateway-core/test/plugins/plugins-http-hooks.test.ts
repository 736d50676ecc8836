// ContextForge's HTTP middleware hooks on a real gateway: they run before routing, so REST routes and the
// MCP transports (served on raw node:http before Hono) both get them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PluginGateway, pluginGateway, writePluginsConfig } from './support.js';

// Refuses requests carrying `x-block: yes`; records what http_post_request saw on `globalThis`.
const GATE = `
export function createPlugin({ name }) {
  return {
    name,
    hooks: {
      http_pre_request(payload) {
        if (payload.headers['x-block'] !== 'yes') return {};
        return {
          continueProcessing: false,
          violation: { reason: 'Blocked by gate', description: 'x-block is set', code: 'GATE_BLOCKED', httpStatusCode: 451 },
        };
      },
      http_post_request(payload) {
        (globalThis.__httpPost ??= []).push({ path: payload.path, status: payload.status_code });
        return {};
      },
    },
  };
}
`;

const YAML = `plugins:
  - name: gate
    kind: ./gate.mjs
    hooks: [http_pre_request, http_post_request]
  - name: strip-spoofed
    kind: "@contextforge/plugin-header-filter"
    hooks: [http_pre_request]
    config: { strip_incoming: [x-spoofed-user, authorization] }
`;

describe('HTTP middleware hooks (http_pre_request, http_post_request) on a real gateway', () => {
  let t: PluginGateway;
  beforeAll(async () => {
    t = await pluginGateway(writePluginsConfig(YAML, { 'gate.mjs': GATE }));
  });
  afterAll(() => t?.close());

  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${t.gw.url}${path}`, { headers: { authorization: `Bearer ${t.gw.adminToken}`, ...headers } });

  it('refuses REST and MCP requests a plugin blocks, with the violation as the HTTP error', async () => {
    const rest = await get('/v1/tools', { 'x-block': 'yes' });
    expect(rest.status).toBe(451);
    expect(await rest.json()).toMatchObject({
      code: 'GATE_BLOCKED',
      plugin: 'gate',
      detail: 'Blocked by gate: x-block is set',
    });
    const mcp = await fetch(`${t.gw.url}/mcp`, {
      method: 'POST',
      headers: {
        'x-block': 'yes',
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: '{"jsonrpc":"2.0","id":1,"method":"ping"}',
    });
    expect(mcp.status).toBe(451);
  });

  it('lets the others through and replaces headers before authentication (the bearer token is stripped)', async () => {
    // strip-spoofed removes Authorization for every request: the gateway then sees no credentials.
    const stripped = await get('/v1/tools');
    expect(stripped.status).toBe(401);
    const mcp = await fetch(`${t.gw.url}/mcp`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${t.gw.adminToken}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: '{"jsonrpc":"2.0","id":1,"method":"ping"}',
    });
    expect(mcp.status).toBe(401);
  });

  it('tells http_post_request the path and status once the response is sent', async () => {
    await get('/health');
    const seen = () =>
      (globalThis as { __httpPost?: Array<{ path: string; status: number }> }).__httpPost ?? [];
    await expect.poll(() => seen().some((s) => s.path === '/health' && s.status === 200)).toBe(true);
  });
});
