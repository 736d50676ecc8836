// Plugins from a real YAML file on a real gateway: the PII filter masks, the deny filter refuses, a local
// plugin sees the request's global context, GET /v1/plugins reports them, and a mode switch through the
// REST API takes effect on the next call.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PluginGateway, pluginGateway, rpcError, texts, writePluginsConfig } from './support.js';

// Appends what it saw (global context, its own pre-hook state) to the tool result.
const CONTEXT_PROBE = `
export function createPlugin({ name }) {
  return {
    name,
    hooks: {
      tool_pre_invoke(payload, ctx) { ctx.state.sawName = payload.name; return {}; },
      tool_post_invoke(payload, ctx) {
        const g = ctx.globalContext;
        const seen = { user: g.user, serverId: g.serverId ?? null, requestId: g.requestId,
          tenantId: g.tenantId ?? null, entityId: g.metadata.entity_id, state: ctx.state.sawName ?? null };
        const content = [...payload.result.content, { type: 'text', text: 'probe:' + JSON.stringify(seen) }];
        return { modifiedPayload: { ...payload, result: { ...payload.result, content } } };
      },
    },
  };
}
`;

const YAML = `plugin_settings:
  plugin_timeout: 10
plugins:
  - name: DenyList
    kind: "@contextforge/plugin-deny-filter"
    hooks: [tool_pre_invoke, prompt_pre_fetch]
    mode: enforce
    priority: 10
    config: { words: ["drop table"] }
  - name: PIIFilterPlugin
    kind: cpex_pii_filter.PIIFilterPlugin
    hooks: [tool_post_invoke, prompt_post_fetch, resource_post_fetch]
    mode: enforce
    priority: 20
    config: { default_mask_strategy: partial }
  - name: ContextProbe
    kind: ./context-probe.mjs
    hooks: [tool_pre_invoke, tool_post_invoke]
    mode: transform
    priority: 30
    conditions: [{ tools: [echo] }]
`;

const CARD = '4111 1111 1111 1111';

describe('plugins on the MCP hot path (real gateway, echo upstream, YAML file)', () => {
  let t: PluginGateway;
  beforeAll(async () => {
    t = await pluginGateway(writePluginsConfig(YAML, { 'context-probe.mjs': CONTEXT_PROBE }));
  });
  afterAll(() => t?.close());

  it('masks a card number in a tool result and gives plugins the caller, server and request ids', async () => {
    const client = await t.client(`/servers/${t.serverId}/mcp`, { 'x-request-id': 'req-plugins-1' });
    const r = await client.callTool({ name: 'echo', arguments: { text: `pay with ${CARD}` } });
    const [echoed, probe] = texts(r);
    expect(echoed).toContain('**** **** **** 1111');
    expect(echoed).not.toContain(CARD);
    expect(JSON.parse((probe ?? '').replace(/^probe:/, ''))).toEqual({
      user: t.gw.gw.config.PLATFORM_ADMIN_EMAIL,
      serverId: t.serverId,
      requestId: 'req-plugins-1',
      tenantId: t.tool.team_id,
      entityId: t.tool.id,
      state: 'echo',
    });
  });

  it('applies conditions to the name the client called: /mcp masks too, the probe does not run', async () => {
    const client = await t.client('/mcp');
    const r = await client.callTool({ name: 'echo-upstream-echo', arguments: { text: CARD } });
    expect(texts(r)).toEqual(['**** **** **** 1111']);
  });

  it('refuses a call with a deny-listed word with the violation as JSON-RPC error, before the upstream', async () => {
    const client = await t.client(`/servers/${t.serverId}/mcp`);
    const before = t.echo.counts.get('tools/call') ?? 0;
    const e = await rpcError(
      client.callTool({ name: 'echo', arguments: { text: 'please DROP TABLE users' } }),
    );
    expect(e.code).toBe(-32602);
    expect(e.message).toContain('Plugin Violation: A deny-listed word was found in argument "text"');
    expect(e.data).toMatchObject({
      reason: 'Tool call not allowed',
      plugin_error_code: 'deny',
      plugin_name: 'DenyList',
      details: { argument: 'text' },
    });
    expect(t.echo.counts.get('tools/call') ?? 0).toBe(before);
  });

  it('runs the prompt and resource hooks on prompts/get and resources/read', async () => {
    const prompt = await t.gw.call('POST', '/v1/prompts', {
      name: 'pay',
      template: 'Charge {{ who }} on card 5555 5555 5555 4444',
      visibility: 'public',
    });
    expect(prompt.status, JSON.stringify(prompt.body)).toBe(201);
    const resource = await t.gw.call('POST', '/v1/resources', {
      uri: 'docs://billing',
      name: 'billing',
      content: `card on file: ${CARD}`,
      visibility: 'public',
    });
    expect(resource.status, JSON.stringify(resource.body)).toBe(201);
    const client = await t.client('/mcp');
    const rendered = await client.getPrompt({ name: 'pay', arguments: { who: 'Ada' } });
    expect(JSON.stringify(rendered.messages)).toContain('Charge Ada on card **** **** **** 4444');
    const denied = await rpcError(client.getPrompt({ name: 'pay', arguments: { who: 'x; drop table y' } }));
    expect(denied.data).toMatchObject({ plugin_name: 'DenyList', reason: 'Prompt not allowed' });
    const read = await client.readResource({ uri: 'docs://billing' });
    expect(read.contents[0]).toMatchObject({
      uri: 'docs://billing',
      text: 'card on file: **** **** **** 1111',
    });
  });

  it('lists the plugins with their hooks, modes, priorities, on_error and call statistics', async () => {
    const list = await t.gw.call('GET', '/v1/plugins');
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ plugins_enabled: true, total: 3, enabled_count: 3, disabled_count: 0 });
    expect(list.body.plugins.map((p: { name: string }) => p.name)).toEqual([
      'DenyList',
      'PIIFilterPlugin',
      'ContextProbe',
    ]);
    const deny = list.body.plugins[0];
    expect(deny).toMatchObject({
      kind: '@contextforge/plugin-deny-filter',
      hooks: ['tool_pre_invoke', 'prompt_pre_fetch'],
      mode: 'sequential',
      configured_mode: 'sequential',
      mode_overridden: false,
      status: 'enabled',
      on_error: 'fail',
      priority: 10,
      timeout: 10,
      external: false,
      loaded: true,
    });
    expect(deny.stats.violations).toBeGreaterThanOrEqual(2);
    expect(deny.stats.by_hook.tool_pre_invoke.violations).toBeGreaterThanOrEqual(1);
    const probe = (await t.gw.call('GET', '/v1/plugins/ContextProbe')).body;
    expect(probe).toMatchObject({ mode: 'transform', conditions: [{ tools: ['echo'] }] });
    expect(probe.stats.skipped).toBeGreaterThanOrEqual(1);
    const missing = await t.gw.call('GET', '/v1/plugins/nope');
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toContain(
      'no plugin named "nope" (configured: DenyList, PIIFilterPlugin, ContextProbe)',
    );
  });

  it('switches a mode at run time (audited): disabled and permissive let the call through, null restores enforce', async () => {
    const client = await t.client(`/servers/${t.serverId}/mcp`);
    const call = () => client.callTool({ name: 'echo', arguments: { text: 'drop table now' } });

    const off = await t.gw.call('PUT', '/v1/plugins/DenyList', { mode: 'disabled' });
    expect(off.status, JSON.stringify(off.body)).toBe(200);
    expect(off.body).toMatchObject({
      mode: 'disabled',
      configured_mode: 'sequential',
      mode_overridden: true,
      status: 'disabled',
    });
    expect(texts(await call())[0]).toBe('drop table now');

    const permissive = await t.gw.call('PUT', '/v1/plugins/DenyList', { mode: 'permissive' });
    expect(permissive.body.mode).toBe('transform');
    const suppressedBefore = permissive.body.stats.suppressed_violations;
    expect(texts(await call())[0]).toBe('drop table now');
    expect((await t.gw.call('GET', '/v1/plugins/DenyList')).body.stats.suppressed_violations).toBe(
      suppressedBefore + 1,
    );

    const back = await t.gw.call('PUT', '/v1/plugins/DenyList', { mode: null });
    expect(back.body).toMatchObject({ mode: 'sequential', mode_overridden: false });
    expect((await rpcError(call())).data).toMatchObject({ plugin_name: 'DenyList' });

    expect((await t.gw.call('PUT', '/v1/plugins/DenyList', { mode: 'enforcing' })).status).toBe(400);
    expect((await t.gw.call('PUT', '/v1/plugins/nope', { mode: 'disabled' })).status).toBe(404);

    const audit = await t.gw.call('GET', '/api/logs/audit-trails?action=config.changed&target_type=plugin');
    expect(audit.status).toBe(200);
    const changes = audit.body.events.map(
      (e: { details: { previous: string; mode: string } }) => `${e.details.previous}->${e.details.mode}`,
    );
    expect(changes.sort()).toEqual(['disabled->transform', 'sequential->disabled', 'transform->sequential']);
    expect(audit.body.events[0]).toMatchObject({
      actor: { subject: t.gw.gw.config.PLATFORM_ADMIN_EMAIL },
      target: { type: 'plugin', name: 'DenyList' },
    });
  });
});
