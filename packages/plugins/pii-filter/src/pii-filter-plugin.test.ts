import {
  createGlobalContext,
  type Plugin,
  PluginConfigError,
  type PluginContext,
  silentLogger,
} from '@contextforge/plugin-framework';
import { describe, expect, it, vi } from 'vitest';
import { configJsonSchema, createPlugin, manifest } from './index.js';

const context = { state: {}, metadata: {}, globalContext: createGlobalContext() } as PluginContext;

function plugin(config: Record<string, unknown> = {}, logger = silentLogger): Plugin {
  return createPlugin({ name: 'pii', config, entry: {} as never, logger, configDir: '.' }) as Plugin;
}

async function post(p: Plugin, result: unknown) {
  return p.hooks.tool_post_invoke!({ name: 'lookup', result }, context);
}

const toolResult = (text: string) => ({
  content: [
    { type: 'text', text },
    { type: 'image', data: 'QUtJQUlPU0ZPRE5ON0VYQU1QTEU=', mimeType: 'image/png' },
  ],
  structuredContent: { customer: { card: '4111-1111-1111-1111', name: 'Jane' } },
  isError: false,
});

describe('pii-filter plugin', () => {
  it('masks a credit card in a tool result and keeps everything else', async () => {
    const original = toolResult('Card on file: 4111 1111 1111 1111, thanks.');
    const result = await post(plugin({ default_mask_strategy: 'partial' }), original);
    expect(result.continueProcessing).toBeUndefined();
    expect(result.modifiedPayload).toEqual({
      name: 'lookup',
      result: {
        content: [{ type: 'text', text: 'Card on file: **** **** **** 1111, thanks.' }, original.content[1]],
        structuredContent: { customer: { card: '****-****-****-1111', name: 'Jane' } },
        isError: false,
      },
    });
    expect(result.metadata).toEqual({ pii_filter: { detections: 2 } });
    expect(original.content[0]?.text).toContain('4111');
  });

  it('answers {} (no copy, no metadata) when there is nothing to mask', async () => {
    expect(
      await post(plugin(), { content: [{ type: 'text', text: 'All clear at 12:30, 3 items.' }] }),
    ).toEqual({});
  });

  it('blocks with a violation that names types, not values', async () => {
    const result = await plugin({ block_on_detection: true }).hooks.tool_pre_invoke!(
      { name: 'send', args: { to: 'jane@example.com', note: 'SSN 123-45-6789' } },
      context,
    );
    expect(result).toMatchObject({
      continueProcessing: false,
      violation: {
        reason: 'PII detected',
        code: 'PII_DETECTED',
        description: '2 item(s) of personal data found (email, ssn)',
        details: { types: ['email', 'ssn'] },
      },
    });
    expect(JSON.stringify(result)).not.toContain('jane@example.com');
  });

  it('masks prompt arguments, rendered prompts, resources and agent messages', async () => {
    const p = plugin({ mask_strategies: { email: 'partial' }, include_detection_details: true });
    const pre = await p.hooks.prompt_pre_fetch!(
      { prompt_id: 'greet', args: { who: 'mail bob@corp.io' } },
      context,
    );
    expect(pre.modifiedPayload).toEqual({ prompt_id: 'greet', args: { who: 'mail b***@corp.io' } });
    expect(pre.metadata).toEqual({ pii_filter: { detections: 1, counts: { email: 1 } } });
    const rendered = await p.hooks.prompt_post_fetch!(
      {
        prompt_id: 'greet',
        result: { messages: [{ role: 'user', content: { type: 'text', text: 'IP 10.1.2.3' } }] },
      },
      context,
    );
    expect(JSON.stringify(rendered.modifiedPayload)).toContain('IP [REDACTED]');
    const resource = await p.hooks.resource_post_fetch!(
      { uri: 'file:///x', content: { contents: [{ uri: 'file:///x', text: 'key AKIAIOSFODNN7EXAMPLE' }] } },
      context,
    );
    expect(JSON.stringify(resource.modifiedPayload)).toContain('key [REDACTED]');
    const agent = await p.hooks.agent_pre_invoke!(
      {
        agent_id: 'a',
        messages: [{ role: 'user', parts: [{ text: 'my iban GB82WEST12345698765432' }] }],
        system_prompt: 'call +44 20 7946 0958',
      },
      context,
    );
    expect(agent.modifiedPayload).toMatchObject({
      system_prompt: 'call [REDACTED]',
      messages: [{ parts: [{ text: 'my iban [REDACTED]' }] }],
    });
  });

  it('honours detector switches, custom patterns and the whitelist', async () => {
    const p = plugin({
      detect_email: false,
      custom_patterns: [
        { pattern: 'never', description: 'disabled one', enabled: false },
        { pattern: '\\bEMP\\d{6}\\b', description: 'Employee ID', mask_strategy: 'partial' },
      ],
      whitelist_patterns: ['^555-555-5555$'],
      include_detection_details: true,
    });
    const out = await p.hooks.tool_pre_invoke!(
      { name: 't', args: { a: 'jane@example.com', b: 'EMP123456', c: '555-555-5555', d: '212-555-0199' } },
      context,
    );
    expect(out.modifiedPayload).toEqual({
      name: 't',
      args: { a: 'jane@example.com', b: 'E*******6', c: '555-555-5555', d: '[REDACTED]' },
    });
    expect(out.metadata).toEqual({ pii_filter: { detections: 2, counts: { employee_id: 1, phone: 1 } } });
  });

  it('fails closed on payloads over the limits, or passes them when configured', async () => {
    const deep = { a: { b: { c: { d: 'x@y.io' } } } };
    const blocked = await plugin({ max_nested_depth: 2 }).hooks.tool_pre_invoke!(
      { name: 't', args: deep },
      context,
    );
    expect(blocked.violation).toMatchObject({
      code: 'PII_SCAN_LIMIT',
      description: 'payload is nested deeper than 2 levels',
    });
    const big = await plugin({ max_text_bytes: 10, oversize_action: 'pass' }).hooks.tool_pre_invoke!(
      { name: 't', args: { t: 'a@b.io and more text' } },
      context,
    );
    expect(big).toEqual({ metadata: { pii_filter: { skipped: 'text exceeds max_text_bytes (10)' } } });
  });

  it('scans texts holding NUL characters one by one', async () => {
    const out = await plugin().hooks.tool_pre_invoke!(
      { name: 't', args: { a: 'x\0a@b.io', b: 'c@d.io' } },
      context,
    );
    expect(out.modifiedPayload).toEqual({ name: 't', args: { a: 'x\0[REDACTED]', b: '[REDACTED]' } });
  });

  it('rejects invalid configuration naming the field', () => {
    expect(() => plugin({ detect_ssn: 'yes' })).toThrow(PluginConfigError);
    expect(() => plugin({ detect_ssn: 'yes' })).toThrow(
      'plugin "pii": config.detect_ssn: Invalid input: expected boolean, received string',
    );
    expect(() => plugin({ default_mask_strategy: 'blur' })).toThrow(
      'config.default_mask_strategy: must be one of redact',
    );
    expect(() => plugin({ custom_patterns: [{ pattern: 'ok', enabled: false }, { pattern: '(' }] })).toThrow(
      /plugin "pii": config\.custom_patterns\[1\]\.pattern: .*unclosed group/,
    );
  });

  it('warns about ContextForge detectors it does not implement', () => {
    const warn = vi.fn();
    plugin({ detect_passport: true }, { ...silentLogger, warn });
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('not available'), {
      flags: ['detect_passport'],
    });
  });

  it('publishes a manifest and a JSON schema of its config', () => {
    expect(manifest.availableHooks).toContain('tool_post_invoke');
    expect(manifest.defaultConfig).toMatchObject({ detect_email: true, redaction_text: '[REDACTED]' });
    expect(configJsonSchema).toMatchObject({ type: 'object', additionalProperties: false });
    expect(Object.keys((configJsonSchema as { properties: object }).properties)).toContain(
      'block_on_detection',
    );
  });
});
