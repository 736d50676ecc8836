/**
 * End to end through the plugin manager with the real plugin packages, loaded by npm name (and by
 * ContextForge class path) from a YAML file — what the gateway does at start.
 */
import { fileURLToPath } from 'node:url';
import {
  createGlobalContext,
  PluginManager,
  silentLogger,
  violationToHttpError,
  violationToJsonRpcError,
} from '@contextforge/plugin-framework';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const configPath = fileURLToPath(new URL('./fixtures/config.yaml', import.meta.url));
let manager: PluginManager;

beforeAll(async () => {
  manager = await PluginManager.fromFile(configPath, { logger: silentLogger });
});
afterAll(async () => {
  await manager?.shutdown();
});

const gctx = () => createGlobalContext({ user: 'jane@corp.example', serverId: 'srv-1' });

describe('built-in plugins through a YAML-configured manager', () => {
  it('loads every entry, legacy modes mapped, ContextForge kinds resolved to our packages', () => {
    const plugins = manager.listPlugins();
    expect(plugins.map((p) => [p.name, p.mode])).toEqual([
      ['RateLimiter', 'sequential'],
      ['HeaderFilter', 'transform'],
      ['DenyListPlugin', 'sequential'],
      ['SecretsDetection', 'sequential'],
      ['PIIFilterPlugin', 'sequential'],
      ['ReplaceBadWords', 'transform'],
      ['OutputLengthGuard', 'transform'],
      ['ResourceFilter', 'sequential'],
    ]);
    expect(plugins.find((p) => p.name === 'HeaderFilter')?.hooks).toEqual([
      'tool_pre_invoke',
      'agent_pre_invoke',
    ]);
  });

  it('masks a credit card number in a tool result', async () => {
    const result = {
      content: [{ type: 'text', text: 'Customer Jane, card 4111 1111 1111 1111, email test@example.com' }],
      isError: false,
    };
    const out = await manager.invokeHook('tool_post_invoke', { name: 'crm_lookup', result }, gctx());
    expect(out.continueProcessing).toBe(true);
    expect(out.payload.result).toEqual({
      content: [{ type: 'text', text: 'Customer Jane, card **** **** **** 1111, email test@example.com' }],
      isError: false,
    });
    expect(out.metadata.PIIFilterPlugin).toEqual({
      pii_filter: { detections: 1, counts: { credit_card: 1 } },
    });
    expect(JSON.stringify(out.payload)).not.toContain('4111 1111');
  });

  it('blocks a prompt with a denied word, with a clear JSON-RPC and HTTP error', async () => {
    const out = await manager.invokeHook(
      'prompt_pre_fetch',
      { prompt_id: 'pitch', args: { product: 'a revolutionary toaster' } },
      gctx(),
    );
    expect(out.continueProcessing).toBe(false);
    expect(violationToJsonRpcError(out.violation!)).toEqual({
      code: -32602,
      message: 'Plugin Violation: A deny-listed word was found in argument "product"',
      data: {
        reason: 'Prompt not allowed',
        description: 'A deny-listed word was found in argument "product"',
        plugin_error_code: 'deny',
        plugin_name: 'DenyListPlugin',
        details: { argument: 'product' },
      },
    });
    expect(violationToHttpError(out.violation!)).toMatchObject({
      status: 403,
      body: { code: 'deny', plugin: 'DenyListPlugin' },
    });
  });

  it('chains pre hooks: headers stripped, PII in arguments masked, then post hooks on the result', async () => {
    const g = gctx();
    const pre = await manager.invokeHook(
      'tool_pre_invoke',
      {
        name: 'send_mail',
        args: { to: 'bob@corp.example', body: 'hi' },
        headers: { authorization: 'Bearer t', 'x-trace': '1' },
      },
      g,
    );
    expect(pre.payload).toEqual({
      name: 'send_mail',
      args: { to: 'b***@corp.example', body: 'hi' },
      headers: { 'x-trace': '1' },
    });
    const post = await manager.invokeHook(
      'tool_post_invoke',
      { name: 'send_mail', result: { content: [{ type: 'text', text: `crap ${'x'.repeat(300)}` }] } },
      g,
      pre.contexts,
    );
    const text = (post.payload.result as { content: { text: string }[] }).content[0]?.text ?? '';
    expect(text.startsWith('crud x')).toBe(true);
    expect(Array.from(text)).toHaveLength(200);
  });

  it('blocks a tool result carrying a credential before the PII filter runs', async () => {
    const out = await manager.invokeHook(
      'tool_post_invoke',
      {
        name: 'env',
        result: { content: [{ type: 'text', text: 'AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE' }] },
      },
      gctx(),
    );
    expect(out.violation).toMatchObject({ code: 'SECRETS_DETECTED', pluginName: 'SecretsDetection' });
  });

  it('refuses resources outside the protocol and domain policy', async () => {
    const file = await manager.invokeHook(
      'resource_pre_fetch',
      { uri: 'file:///etc/passwd', metadata: {} },
      gctx(),
    );
    expect(file.violation).toMatchObject({ code: 'PROTOCOL_BLOCKED', pluginName: 'ResourceFilter' });
    const ok = await manager.invokeHook(
      'resource_pre_fetch',
      { uri: 'https://docs.example.com/a', metadata: {} },
      gctx(),
    );
    expect(ok.continueProcessing).toBe(true);
  });

  it('records per-plugin metrics', () => {
    const pii = manager.getPlugin('PIIFilterPlugin');
    expect(pii?.stats.calls).toBeGreaterThanOrEqual(2);
    expect(pii?.stats.modifications).toBeGreaterThanOrEqual(2);
    expect(pii?.stats.byHook.tool_post_invoke?.calls).toBeGreaterThanOrEqual(1);
    expect(manager.getPlugin('DenyListPlugin')?.stats.violations).toBe(1);
  });
});
